"""Every URL of the report documents × every persona → the status that persona must get."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.choices import ReportFormat, ReportKind, ReportStatus
from tests.conftest import module_world
from tests.factories import GeneratedReportFactory

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

PERSONAS = [
    "secretary",
    "admin_user",
    "commission",
    "manager",
    "officer",
    "reporter",
    "outsider",
    "parent_secretary",
    "anonymous",
]


@pytest.fixture
def ready_report(program):
    report = GeneratedReportFactory(
        organisation=program.organisation, program=program, kind=ReportKind.EXECUTION, format=ReportFormat.PDF
    )
    report.file.save("execution.pdf", ContentFile(b"%PDF-1.7 rendered"), save=False)
    report.sha256, report.status = "0" * 64, ReportStatus.READY
    report.save()
    return report


EXPECTED = {
    # persona: (report list, request page, detail, download, journal request)
    "secretary": (200, 200, 200, 200, 404),
    "admin_user": (200, 200, 200, 200, 404),
    "commission": (200, 404, 200, 200, 404),
    "manager": (200, 404, 200, 200, 404),
    "officer": (200, 200, 200, 200, 200),  # oversees the program: prepares its reports as over the API
    "reporter": (200, 404, 404, 404, 404),
    "outsider": (200, 404, 404, 404, 404),
    "parent_secretary": (200, 404, 200, 200, 404),
    "anonymous": (302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status_on_each_report_page(login, persona, program, ready_report):
    client = login(persona)
    urls = [
        reverse("reports:list"),
        reverse("reports:request", args=[program.pk]),
        reverse("reports:detail", args=[ready_report.pk]),
        reverse("reports:download", args=[ready_report.pk]),
        reverse("reports:journal-request"),
    ]

    statuses = tuple(client.get(url).status_code for url in urls)

    assert statuses == EXPECTED[persona]


def test_a_journal_request_with_a_bad_year_is_refused_next_to_the_field_and_records_nothing(login, organisation):
    from reports.documents.models import GeneratedReport

    response = login("officer").post(
        reverse("reports:journal-request"),
        {"organisation": organisation.pk, "kind": ReportKind.INDUCEMENT_JOURNAL, "year": "20x4", "format": "pdf"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["year"]
    assert response.context["form"]["year"].value() == "20x4"
    assert not GeneratedReport.objects.exists()


@pytest.mark.parametrize(
    ("persona", "may_request"),
    [
        ("secretary", True),
        ("officer", True),  # oversees the program (README: users)
        ("admin_user", True),
        ("commission", False),
        ("manager", False),
        ("reporter", False),
        ("parent_secretary", False),  # reads the child body's program, acts only for its own body
        ("outsider", False),
    ],
)
def test_the_page_and_the_api_agree_on_who_requests_a_program_report(login, api, persona, may_request, program):
    from reports.documents.models import GeneratedReport

    period = program.periods.first()
    page = login(persona).post(
        reverse("reports:request", args=[program.pk]),
        {"kind": ReportKind.EXECUTION, "period": period.pk, "format": ReportFormat.PDF},
    )
    by_page = GeneratedReport.objects.count()
    answer = api(persona).post(
        "/api/v1/reports/",
        {"kind": ReportKind.PROGRAM, "program": program.pk, "format": ReportFormat.PDF},
        format="json",
    )

    assert (page.status_code == 302, answer.status_code == 202) == (may_request, may_request)
    assert by_page == (1 if may_request else 0)


@pytest.mark.parametrize(("persona", "offered"), [("officer", True), ("secretary", True), ("manager", False)])
def test_the_program_page_offers_the_report_to_those_who_may_request_it(login, persona, offered, program):
    page = login(persona).get(reverse("programs:detail", args=[program.pk])).content.decode()

    assert (reverse("reports:request", args=[program.pk]) in page) is offered
