"""The generated-reports list filters by kind, status, program and period, and pages (issue 17 item 4)."""

import pytest
from django.urls import reverse

from core.paging import PAGE_SIZE
from reports.choices import ReportKind, ReportStatus
from tests.factories import GeneratedReportFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def shown(response) -> list[int]:
    return [report.pk for report in response.context["page"].object_list]


@pytest.fixture
def reports(organisation, program):
    period = program.periods.order_by("pk").first()
    return {
        "execution": GeneratedReportFactory(
            organisation=organisation, program=program, period=period, kind=ReportKind.EXECUTION
        ),
        "program_failed": GeneratedReportFactory(
            organisation=organisation, program=program, kind=ReportKind.PROGRAM, status=ReportStatus.FAILED
        ),
        "other_program": GeneratedReportFactory(
            organisation=organisation, program=ProgramFactory(organisation=organisation), kind=ReportKind.EXECUTION
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"execution", "program_failed", "other_program"}),
        ({"kind": ReportKind.PROGRAM}, {"program_failed"}),
        ({"status": ReportStatus.FAILED}, {"program_failed"}),
        ({"program": "our"}, {"execution", "program_failed"}),
        ({"period": "first"}, {"execution"}),
        ({"kind": ReportKind.EXECUTION, "program": "our"}, {"execution"}),
    ],
)
def test_each_filter_narrows_the_list(login, reports, program, query, expected):
    values = {"our": program.pk, "first": program.periods.order_by("pk").first().pk}
    query = {name: values.get(value, value) for name, value in query.items()}

    response = login("secretary").get(reverse("reports:list"), query)

    assert response.status_code == 200
    assert set(shown(response)) == {reports[name].pk for name in expected}


def test_a_program_outside_the_users_scope_is_a_field_error_not_a_500(login, reports, other_organisation):
    foreign = ProgramFactory(organisation=other_organisation)

    response = login("secretary").get(reverse("reports:list"), {"program": foreign.pk})

    assert response.status_code == 200
    assert response.context["filterset"].form.errors["program"]
    assert "field-errors" in response.content.decode()


def test_the_list_pages_and_the_links_keep_the_filter(login, organisation, program):
    for _ in range(PAGE_SIZE + 3):
        GeneratedReportFactory(organisation=organisation, program=program, kind=ReportKind.PROGRAM)

    first = login("secretary").get(reverse("reports:list"), {"kind": ReportKind.PROGRAM})
    second = login("secretary").get(reverse("reports:list"), {"kind": ReportKind.PROGRAM, "page": 2})

    assert len(shown(first)) == PAGE_SIZE
    assert len(shown(second)) == 3
    assert "kind=program&amp;page=2" in first.content.decode()
