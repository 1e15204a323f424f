"""What the secretary sets for the documents: the report's annex heading, title and column headings (program page and
API), and evidence that the report can cite (entry page and API refuse a letter without its number and date)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from core.periods import PeriodKind
from programs.choices import ProgramStatus
from programs.report_headings import DEFAULT_COLUMNS, columns, fill, heading_problems
from reports.documents.content import execution_document
from reports.execution.models import ExecutionEntry
from tests.factories import ProgramFactory
from tests.programs.test_program_views import edit_data

pytestmark = pytest.mark.django_db

HEADING = "Додаток 3\nдо Звіту про стан виконання\n{period} Антикорупційної програми"
TITLE = "Інформація про стан виконання {period} заходів, визначених у додатку 3"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"report_title": "Інформація {perod}"}, "report_title"),
        ({"report_annex_heading": "Додаток {1}"}, "report_annex_heading"),
        ({"report_columns": "\n".join(str(number) for number in range(8))}, "report_columns"),
    ],
    ids=["misspelt-placeholder", "unknown-placeholder", "eight-columns"],
)
def test_report_headings_refuse_what_the_report_could_not_print(data, field):
    assert [name for name, _ in heading_problems(data)] == [field]


def test_missing_column_headings_keep_the_portals_own():
    with translation.override("uk"):
        headings = columns("\nЗміст заходу\n\n\nЦільова аудиторія навчального заходу")

    assert headings[1] == "Зміст заходу"
    assert headings[4] == "Цільова аудиторія навчального заходу"
    with translation.override("uk"):
        assert headings[0] == str(DEFAULT_COLUMNS[0]) != "Name of the task"
    assert fill(HEADING, period="у 2023 році").splitlines()[-1] == "у 2023 році Антикорупційної програми"


def test_the_program_page_saves_the_headings_and_the_report_prints_them(login, program_content):
    program = program_content.program
    program.status = ProgramStatus.DRAFT
    program.save()
    response = login("secretary").post(
        reverse("programs:edit", args=[program.pk]),
        edit_data(program, report_annex_heading=HEADING, report_title=TITLE, report_columns="Завдання"),
    )
    assert response.status_code == 302
    period = program.periods.filter(kind=PeriodKind.QUARTER).order_by("year", "number").first()

    document = execution_document(program=program_content.program.__class__.objects.get(pk=program.pk), period=period)

    assert document.annex_heading[-1] == f"у І кварталі {period.year} року Антикорупційної програми"
    assert (
        document.title
        == f"Інформація про стан виконання у І кварталі {period.year} року заходів, визначених у додатку 3"
    )
    assert document.columns[0] == "Завдання"
    assert document.columns[6] == "Стан виконання"


def test_the_program_page_refuses_a_misspelt_placeholder_and_keeps_the_input(login, program_content):
    program = program_content.program
    program.status = ProgramStatus.DRAFT
    program.save()

    response = login("secretary").post(
        reverse("programs:edit", args=[program.pk]),
        edit_data(program, report_title="Інформація {perіod}"),
        HTTP_ACCEPT_LANGUAGE="uk",
    )

    assert response.status_code == 400
    assert "{perіod}" in response.content.decode()
    assert "Можна замінити лише" in response.content.decode() or "можна замінити лише" in response.content.decode()


def test_without_headings_the_report_has_a_title_from_the_program_and_no_annex_heading(program_content):
    period = program_content.periods[0]

    with translation.override("uk"):
        document = execution_document(program=program_content.program, period=period)

    assert document.annex_heading == []
    assert document.title.startswith(f"Інформація про стан виконання {'у'} ")
    assert f"«{program_content.program.title}»" in document.title
    assert len(document.columns) == 7


def test_the_api_reads_and_writes_the_headings(api, organisation):
    draft = ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT, start_year=2026, end_year=2028)
    client = api("secretary")

    written = client.patch(
        f"/api/v1/programs/{draft.pk}/",
        {"version": draft.version, "report_title": TITLE, "report_annex_heading": HEADING},
        format="json",
    )
    refused = client.patch(
        f"/api/v1/programs/{draft.pk}/", {"version": draft.version + 1, "report_title": "{рік}"}, format="json"
    )

    assert written.status_code == 200, written.content
    assert written.json()["report_title"] == TITLE
    assert refused.status_code == 400
    assert "report_title" in refused.json()["fields"]


# --- evidence the report can cite -------------------------------------------------------------------------------


def test_the_entry_page_refuses_a_letter_without_number_and_date_and_keeps_the_text(login, program_content):
    period = program_content.periods[0]
    measure = program_content.measures["unit_year"]

    response = login("reporter").post(
        reverse("reports:entry", args=[period.pk, measure.pk]),
        {
            "version": 0,
            "status": "done",
            "narrative": "Проведено семінар для 40 працівників",
            "action": "draft",
            "evidence-kind": "letter",
            "evidence-issuer": "УП",
        },
        HTTP_ACCEPT_LANGUAGE="uk",
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Введіть номер документа" in page
    assert "Введіть дату документа" in page
    assert "Проведено семінар для 40 працівників" in page
    assert not ExecutionEntry.objects.filter(period=period, measure=measure).exists()


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"kind": "letter", "issuer": "ВПЗВК"}, {"number", "issued_on"}),
        ({"kind": "order", "number": "41", "issued_on": "2023-02-27"}, {"issuer"}),
        ({"kind": "protocol", "number": "2"}, {"issued_on"}),
    ],
    ids=["letter-without-number-and-date", "order-without-issuer", "protocol-without-date"],
)
def test_the_api_refuses_evidence_the_report_could_not_cite(login, program_content, payload, fields):
    entry = program_content.entries["unit_quarter"]
    before = entry.evidence.count()

    response = login("reporter").post(
        f"/api/v1/execution-entries/{entry.pk}/evidence/", payload, content_type="application/json"
    )

    assert response.status_code == 400
    assert fields <= set(response.json()["fields"])
    assert entry.evidence.count() == before


def test_submitting_an_entry_whose_text_cites_a_missing_document_is_refused(login, program_content):
    period = program_content.periods[0]
    measure = program_content.measures["unit_year"]

    response = login("reporter").post(
        reverse("reports:entry", args=[period.pk, measure.pk]),
        {"version": 0, "status": "done", "narrative": "Проведено семінар [[2]].", "action": "submit"},
        HTTP_ACCEPT_LANGUAGE="uk",
    )

    assert response.status_code == 400
    assert "[[2]]" in response.content.decode()


def test_an_approved_program_changes_its_report_headings_without_a_revision_but_not_its_content(login, program_content):
    program = program_content.program
    assert program.status == ProgramStatus.IN_FORCE
    client = login("secretary")

    headings = client.post(reverse("programs:edit", args=[program.pk]), edit_data(program, report_title=TITLE))
    program.refresh_from_db()
    content = client.post(
        reverse("programs:edit", args=[program.pk]), edit_data(program, title="Інша назва"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert headings.status_code == 302
    assert program.report_title == TITLE
    assert content.status_code == 400
    assert "Choose the revision under which this change is made." in content.content.decode()
    program.refresh_from_db()
    assert program.title != "Інша назва"
