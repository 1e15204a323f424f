"""The annual execution report prints the audit trail's head as it stood when the file was rendered, so a later edit
of any entry up to it is detectable against the paper; read back from the real PDF (pdftotext) and DOCX."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from docx import Document as WordDocument

from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import chain_head, record
from core.periods import PeriodKind
from reports.choices import ReportFormat, ReportKind
from reports.documents.services import report_render, report_request
from tests.factories import ReportingPeriodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

LINE = re.compile(r"Контрольна сума журналу аудиту на дату формування: ([0-9a-f]{64}) \(запис № (\d+)\)")


def rendered(user, program, period, file_format: str) -> bytes:
    report = report_request(
        user=user, kind=ReportKind.EXECUTION, program=program, period=period, file_format=file_format, language="uk"
    )
    report = report_render(report_id=report.pk)
    with report.file.open("rb") as stored:
        return stored.read()


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def docx_text(content: bytes) -> str:
    return " ".join(" ".join(paragraph.text for paragraph in WordDocument(io.BytesIO(content)).paragraphs).split())


@pytest.fixture
def year(program):
    return ReportingPeriodFactory(program=program, kind=PeriodKind.YEAR, year=2023, number=1)


@pytest.fixture
def history(organisation, secretary):
    for n in range(7):
        record(AuditAction.EXPORTED, actor=secretary, organisation=organisation, number=n)


def test_the_annual_pdf_prints_the_head_of_the_trail_at_rendering(secretary, program, year, history, tmp_path):
    head = chain_head()

    text = pdf_text(rendered(secretary, program, year, ReportFormat.PDF), tmp_path)

    printed = LINE.search(text)
    assert printed is not None, text[-600:]
    assert (printed.group(1), int(printed.group(2))) == (head.hash, head.sequence)


def test_the_printed_head_still_names_its_entry_after_the_trail_grows(secretary, program, year, history, tmp_path):
    text = pdf_text(rendered(secretary, program, year, ReportFormat.PDF), tmp_path)
    record(AuditAction.SIGNED_IN, actor=secretary)

    printed = LINE.search(text)
    assert chain_head().sequence == int(printed.group(2)) + 1
    assert AuditEvent.objects.get(sequence=int(printed.group(2))).hash == printed.group(1)


def test_the_annual_docx_prints_the_same_line(secretary, program, year, history):
    head = chain_head()

    printed = LINE.search(docx_text(rendered(secretary, program, year, ReportFormat.DOCX)))

    assert (printed.group(1), int(printed.group(2))) == (head.hash, head.sequence)


def test_a_quarterly_report_prints_no_head(secretary, program_content, history, tmp_path):
    text = pdf_text(
        rendered(secretary, program_content.program, program_content.periods[0], ReportFormat.PDF), tmp_path
    )

    assert "Контрольна сума журналу аудиту" not in text
