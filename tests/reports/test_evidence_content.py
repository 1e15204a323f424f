"""Evidence files are judged by their content, as on the public whistleblower form: a name only says what a file
claims to be. Table-driven over the entry page and the API."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from reports.execution.models import Evidence, ExecutionEntry
from tests.conftest import module_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

API = "/api/v1/execution-entries/"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 200
WEB_PAGE = b"<!doctype html><html><body><script>fetch('/api/v1/')</script></body></html>"
MISMATCH = "not what its name ends with"


def docx(*members: tuple[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for name, content in members:
            archive.writestr(name, content)
    return output.getvalue()


def xlsx() -> bytes:
    output = io.BytesIO()
    Workbook().save(output)
    return output.getvalue()


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(output, format="PNG")
    return output.getvalue()


LEGACY_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 1024
LEGACY_WORD_WITH_MACROS = LEGACY_WORD + "_VBA_PROJECT".encode("utf-16-le")

REFUSED = [
    pytest.param("invoice.pdf", WINDOWS_PROGRAM, "Programs are not accepted", id="program-named-pdf"),
    pytest.param("report.docx", WEB_PAGE, MISMATCH, id="web-page-named-docx"),
    pytest.param("photo.pdf", png(), MISMATCH, id="image-named-pdf"),
    pytest.param("table.xlsx", docx(), MISMATCH, id="docx-named-xlsx"),
    pytest.param("report.docx", docx(("word/vbaProject.bin", b"macro")), "macros", id="docx-with-macros"),
    pytest.param("old.doc", LEGACY_WORD_WITH_MACROS, "macros", id="legacy-word-with-macros"),
]
ACCEPTED = [
    pytest.param("protocol.pdf", b"%PDF-1.4\n%scan", id="pdf"),
    pytest.param("report.docx", docx(), id="docx"),
    pytest.param("table.xlsx", xlsx(), id="xlsx"),
    pytest.param("photo.png", png(), id="png"),
    pytest.param("old.doc", LEGACY_WORD, id="legacy-word"),
]


def send_by_page(login, program_content, name: str, content: bytes):
    period = program_content.periods[0]
    measure = program_content.measures["unit_year"]
    response = login("reporter").post(
        reverse("reports:entry", args=[period.pk, measure.pk]),
        {
            "version": 0,
            "status": "done",
            "narrative": "Проведено семінар для працівників апарату",
            "action": "draft",
            "evidence-kind": "file",
            "evidence-file": SimpleUploadedFile(name, content),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    entry = ExecutionEntry.objects.filter(period=period, measure=measure).first()
    return response, response.content.decode(), Evidence.objects.filter(entry=entry).count() if entry else 0


def send_by_api(login, program_content, name: str, content: bytes):
    entry = program_content.entries["unit_quarter"]
    before = Evidence.objects.filter(entry=entry).count()
    response = login("reporter").post(
        f"{API}{entry.pk}/evidence/",
        {"kind": "file", "file": SimpleUploadedFile(name, content)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    errors = response.json()["fields"].get("file", []) if response.status_code == 400 else []
    text = " ".join(error["message"] for error in errors)
    return response, text, Evidence.objects.filter(entry=entry).count() - before


CHANNELS = [pytest.param(send_by_page, id="page"), pytest.param(send_by_api, id="api")]


@pytest.mark.parametrize("send", CHANNELS)
@pytest.mark.parametrize(("name", "content", "reason"), REFUSED)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused_with_a_message(
    login, program_content, send, name, content, reason
):
    response, text, attached = send(login, program_content, name, content)

    assert response.status_code == 400
    assert reason in text
    assert attached == 0


def test_the_entry_page_keeps_the_typed_narrative_when_a_file_is_refused(login, program_content):
    _response, page, _attached = send_by_page(login, program_content, "invoice.pdf", WINDOWS_PROGRAM)

    assert "Проведено семінар для працівників апарату" in page


@pytest.mark.parametrize("send", CHANNELS)
@pytest.mark.parametrize(("name", "content"), ACCEPTED)
def test_a_document_that_is_what_its_name_says_is_attached(login, program_content, send, name, content):
    response, _text, attached = send(login, program_content, name, content)

    assert response.status_code in (201, 302)
    assert attached == 1
