"""Attachments judged by content with real files; a refused file keeps the rest of the typed form."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import RefusedFile, sniff
from tests.whistleblowers.conftest import DETAILS, submit
from whistleblowers.models import ReportAttachment, WhistleblowerReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def real_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Акт перевірки</p>").write_pdf()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "WhistleCam"  # camera make
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes())
    return output.getvalue()


def windows_executable() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 200


def docx(*, with_program: bool = False) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        if with_program:
            archive.writestr("word/embeddings/tool.bin", windows_executable())
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_pdf_and_a_jpeg_are_accepted_and_stored_outside_the_web_root(organisation, public_client, settings):
    response = submit(
        public_client,
        organisation,
        files=[upload("akt.pdf", real_pdf(), "application/pdf"), upload("foto.jpg", jpeg_with_gps(), "image/jpeg")],
    )

    assert response.status_code == 200
    attachments = {a.content_type: a for a in ReportAttachment.objects.all()}
    assert set(attachments) == {"application/pdf", "image/jpeg"}
    stored = attachments["application/pdf"].file.path
    assert stored.startswith(str(settings.PRIVATE_STORAGE_ROOT))
    assert "akt" not in stored  # the original name is kept only encrypted
    assert attachments["application/pdf"].original_name == "akt.pdf"


def test_a_photo_loses_its_camera_metadata(organisation, public_client):
    submit(public_client, organisation, files=[upload("foto.jpg", jpeg_with_gps(), "image/jpeg")])

    stored = ReportAttachment.objects.get().file.read()
    assert b"WhistleCam" not in stored
    assert b"WhistleCam" in jpeg_with_gps()


def test_a_renamed_executable_is_refused_and_the_typed_text_is_kept(organisation, public_client):
    response = submit(
        public_client,
        organisation,
        accused="Начальник сектору",
        files=[upload("scan.pdf", windows_executable(), "application/pdf")],
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "scan.pdf" in page
    assert DETAILS in page
    assert "Начальник сектору" in page
    assert not WhistleblowerReport.objects.exists()


def test_an_oversize_file_is_refused(organisation, public_client, settings):
    settings.WHISTLEBLOWER_MAX_FILE_SIZE = 1024

    response = submit(public_client, organisation, files=[upload("big.txt", b"a" * 2048, "text/plain")])

    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not WhistleblowerReport.objects.exists()


def test_more_files_than_allowed_are_refused(organisation, public_client, settings):
    settings.WHISTLEBLOWER_MAX_FILES = 2

    response = submit(public_client, organisation, files=[upload(f"n{i}.txt", b"note", "text/plain") for i in range(3)])

    assert response.status_code == 400
    assert not WhistleblowerReport.objects.exists()


def test_a_docx_is_accepted_but_not_with_a_program_inside():
    assert sniff(docx()).extension == "docx"
    with pytest.raises(RefusedFile):
        sniff(docx(with_program=True))


def test_a_plain_zip_archive_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(RefusedFile, match="Archives"):
        sniff(output.getvalue())


@pytest.mark.parametrize("content", [b"\x7fELF\x02\x01\x01", b"#!/bin/sh\nrm -rf /", b"\x00\x01\x02binary"])
def test_other_programs_and_binary_blobs_are_refused(content):
    with pytest.raises(RefusedFile):
        sniff(content)


def test_ukrainian_text_in_windows_1251_is_accepted():
    assert sniff("Службова записка".encode("cp1251")).content_type == "text/plain"


def test_only_the_officer_downloads_an_attachment(organisation, public_client, login, officer, manager, secretary):
    submit(public_client, organisation, files=[upload("akt.pdf", real_pdf(), "application/pdf")])
    attachment = ReportAttachment.objects.get()
    url = f"/whistleblowing/attachments/{attachment.pk}/"

    response = login("officer").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    for persona in ("manager", "secretary", "anonymous"):
        assert login(persona).get(url).status_code in (404, 302)
    assert login("manager").get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "saved_as"),
    [
        ("page.html", b"<html><script>alert(document.cookie)</script></html>", "page.txt"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.txt"),
    ],
)
def test_an_attachment_named_as_a_web_page_downloads_as_what_its_content_is(
    organisation, public_client, login, officer, name, content, saved_as
):
    submit(public_client, organisation, files=[upload(name, content, "text/html")])
    attachment = ReportAttachment.objects.get()

    response = login("officer").get(f"/whistleblowing/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{saved_as}"'
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert attachment.original_name == name  # what the whistleblower called it is still on record
