"""Whistleblowers' files and the generated journals are encrypted at rest, streamed in chunks, and read back
transparently by the officer; a wrong key fails clearly; files stored in clear before are converted by a command."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.storage import CHUNK_SIZE, MAGIC, DamagedFile, encrypted_storage
from reports.choices import ReportFormat, ReportKind
from reports.documents.services import report_render, report_request
from tests.factories import WhistleblowerReportFactory
from whistleblowers.models import ReportAttachment

from .conftest import submit
from .test_attachments import upload

pytestmark = pytest.mark.django_db

PLANTED = "Заступник начальника Коваль О. І. взяв 5000 доларів у кабінеті 214"


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def grep(root: Path, text: str) -> list[Path]:
    needle = text.encode()
    return [path for path in stored_files(root) if needle in path.read_bytes()]


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_attachment_is_not_found_in_the_storage_folder_and_the_officer_downloads_the_original(
    organisation, public_client, private_storage, login, officer
):
    original = f"{PLANTED}\n".encode() * 3
    submit(public_client, organisation, files=[upload("note.txt", original, "text/plain")])
    attachment = ReportAttachment.objects.get()

    assert stored_files(private_storage)
    assert grep(private_storage, PLANTED) == []
    assert grep(private_storage, "Коваль") == []
    response = login("officer").get(reverse("whistleblowers:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    assert downloaded(response) == original
    assert hashlib.sha256(original).hexdigest() == attachment.sha256


def test_a_large_file_is_written_and_read_in_chunks_never_whole_in_memory(private_storage, tmp_path_factory):
    source = tmp_path_factory.mktemp("source") / "big.bin"
    block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB of varied bytes
    with source.open("wb") as output:
        for number in range(320):  # 20 MiB
            output.write(number.to_bytes(4, "big") + block[4:])
    expected = hashlib.sha256(source.read_bytes()).hexdigest()

    tracemalloc.start()
    with source.open("rb") as handle:
        name = encrypted_storage.save("whistleblowers/big.bin", File(handle, name="big.bin"))
    digest = hashlib.sha256()
    with encrypted_storage.open(name) as stored:
        for chunk in stored.chunks():
            digest.update(chunk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert digest.hexdigest() == expected
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes for a 20 MiB file"
    assert (private_storage / name).read_bytes().startswith(MAGIC)
    assert (private_storage / name).stat().st_size > 320 * CHUNK_SIZE


def test_a_wrong_key_fails_clearly_and_a_rotated_key_still_reads(private_storage, settings):
    name = encrypted_storage.save("whistleblowers/note.txt", ContentFile(PLANTED.encode()))
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]

    settings.FIELD_ENCRYPTION_KEYS = (Fernet.generate_key().decode(),)
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        encrypted_storage.open(name)

    settings.FIELD_ENCRYPTION_KEYS = (Fernet.generate_key().decode(), old_key)
    with encrypted_storage.open(name) as stored:
        assert stored.read() == PLANTED.encode()


@pytest.mark.parametrize("damage", ["cut", "reorder", "append"])
def test_a_damaged_file_is_refused_rather_than_served_in_part(damage, private_storage):
    name = encrypted_storage.save("whistleblowers/three.bin", ContentFile(b"x" * (CHUNK_SIZE * 2 + 10)))
    path = private_storage / name
    data = path.read_bytes()
    records, offset = [], len(MAGIC)
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        records.append(data[offset : offset + 4 + length])
        offset += 4 + length
    assert len(records) == 3
    changed = {
        "cut": records[:2],
        "reorder": [records[1], records[0], records[2]],
        "append": [*records, records[2]],
    }[damage]
    path.write_bytes(MAGIC + b"".join(changed))

    with pytest.raises(DamagedFile), encrypted_storage.open(name) as stored:
        stored.read()


def test_the_generated_journal_is_encrypted_and_the_officer_downloads_it(organisation, private_storage, officer, login):
    WhistleblowerReportFactory(organisation=organisation, registered=True, accused=PLANTED, summary=PLANTED)
    journal = report_request(
        user=officer,
        kind=ReportKind.WHISTLEBLOWER_JOURNAL,
        organisation=organisation,
        year=2024,
        file_format=ReportFormat.XLSX,
    )
    journal = report_render(report_id=journal.pk)

    stored = (private_storage / journal.file.name).read_bytes()
    assert stored.startswith(MAGIC)
    assert not stored.startswith(b"PK")
    response = login("officer").get(reverse("reports:download", args=[journal.pk]))
    content = downloaded(response)
    assert hashlib.sha256(content).hexdigest() == journal.sha256
    cells = " ".join(str(cell.value) for row in load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row)
    assert PLANTED in cells


def test_the_command_encrypts_files_stored_in_clear_before(organisation, private_storage, login, officer):
    report = WhistleblowerReportFactory(organisation=organisation)
    clear_name = default_storage.save("whistleblowers/2023/old.txt", ContentFile(PLANTED.encode()))
    attachment = ReportAttachment.objects.create(
        report=report, file=clear_name, content_type="text/plain", size=len(PLANTED.encode()), sha256="0" * 64
    )
    # Until converted, a clear file is still served.
    client = login("officer")
    assert downloaded(client.get(reverse("whistleblowers:attachment-download", args=[attachment.pk]))) == (
        PLANTED.encode()
    )

    call_command("encrypt_private_files")

    attachment.refresh_from_db()
    assert grep(private_storage, PLANTED) == []
    assert not default_storage.exists(clear_name)
    assert downloaded(client.get(reverse("whistleblowers:attachment-download", args=[attachment.pk]))) == (
        PLANTED.encode()
    )
    output = io.StringIO()
    call_command("encrypt_private_files", stdout=output)
    assert output.getvalue().startswith("0 files encrypted")
