"""Word files asked for on the page, by the API and for the journals: stored encrypted, served as .docx.

These tests build their own small data; the ones read against the demo's seed documents are in test_docx.py."""

import io

import docx
import pytest
from django.urls import reverse

from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.documents.services import report_request
from tests.programs.test_demo import normalise
from tests.reports.test_docx import rendered_docx

pytestmark = pytest.mark.django_db


def test_word_is_offered_on_the_report_form_and_the_file_is_stored_encrypted(
    login, program_content, eager_tasks, django_capture_on_commit_callbacks, private_storage
):
    client = login("secretary")
    program = program_content.program
    page = client.get(reverse("reports:request", args=[program.pk]))
    assert 'value="docx"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", args=[program.pk]),
            {"kind": ReportKind.EXECUTION, "period": program_content.periods[0].pk, "format": "docx"},
        )

    report = GeneratedReport.objects.get(format=ReportFormat.DOCX)
    assert response.status_code == 302, response.content
    assert report.status == ReportStatus.READY, report.error
    assert not (private_storage / report.file.name).read_bytes().startswith(b"PK")  # encrypted at rest
    download = client.get(reverse("reports:download", args=[report.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert content.startswith(b"PK")
    assert docx.Document(io.BytesIO(content)).tables


def test_journals_come_out_in_word_too(whistleblower_records, officer):
    report = report_request(
        user=officer,
        kind=ReportKind.WHISTLEBLOWER_JOURNAL,
        organisation=whistleblower_records.report.organisation,
        year=whistleblower_records.report.received_at.year,
        file_format=ReportFormat.DOCX,
    )

    word = rendered_docx(report)

    assert len(word.tables[0].rows) >= 2


def test_the_api_takes_word_as_a_report_format(api, program_content, django_capture_on_commit_callbacks, eager_tasks):
    client = api("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/reports/",
            {"kind": ReportKind.PROGRAM, "program": program_content.program.pk, "format": "docx"},
            format="json",
        )

    assert answer.status_code == 202, answer.content
    report = GeneratedReport.objects.get(pk=answer.json()["id"])
    assert (report.format, report.status) == (ReportFormat.DOCX, ReportStatus.READY)
    download = client.get(f"/api/v1/reports/{report.pk}/download/")
    word = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    title = next(paragraph.text for paragraph in word.paragraphs if paragraph.style.name == "Heading 1")
    assert normalise(title) == normalise(program_content.program.title)
