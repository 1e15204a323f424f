"""A rotation killed while it copied a file leaves a copy no row names; the next run removes it, and only it: never
a file a row names, one a concurrent upload has just written, nor one outside the encrypted fields' folders."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from core.storage import encrypted_storage
from tests.factories import WhistleblowerReportFactory
from tests.worker import ROOT, database_url, require_real_stack
from whistleblowers.models import ReportAttachment
from whistleblowers.orphans import ORPHAN_MIN_AGE, orphan_sweep

from .test_key_rotation import KEY_A, KEY_B

pytestmark = pytest.mark.django_db

AN_HOUR = 3600


def rotate(*arguments) -> str:
    output = StringIO()
    call_command("rotate_encryption_keys", *arguments, stdout=output)
    return output.getvalue()


def attachment_with(content: bytes) -> ReportAttachment:
    return ReportAttachment.objects.create(
        report=WhistleblowerReportFactory(),
        file=ContentFile(content, name="scan.txt"),
        original_name="скан.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def stored_files(root) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def age(root, name: str, seconds: int) -> None:
    past = time.time() - seconds
    os.utime(root / name, (past, past))


@pytest.mark.parametrize(
    ("named_by_a_row", "encrypted", "written_ago", "removed"),
    [
        pytest.param(False, True, AN_HOUR, True, id="orphan-copy"),
        pytest.param(True, True, AN_HOUR, False, id="a-rows-file"),
        pytest.param(False, True, 5, False, id="just-written-by-an-upload"),
        pytest.param(False, True, int(ORPHAN_MIN_AGE.total_seconds()) - 60, False, id="younger-than-the-margin"),
        pytest.param(False, False, AN_HOUR, True, id="clear-original-an-interrupted-conversion-replaced"),
    ],
)
def test_only_an_old_encrypted_file_that_no_row_names_is_removed(
    private_storage, named_by_a_row, encrypted, written_ago, removed
):
    content = b"scan of the memo"
    if named_by_a_row:
        name = attachment_with(content).file.name
    elif encrypted:
        name = encrypted_storage.save("whistleblowers/2026/copy.txt", ContentFile(content))
    else:
        name = default_storage.save("whistleblowers/2026/clear.txt", ContentFile(content))
    age(private_storage, name, written_ago)

    assert orphan_sweep(started_at=timezone.now()) == ([name] if removed else [])
    assert (private_storage / name).exists() is not removed


def test_a_file_outside_the_encrypted_folders_is_never_looked_at(private_storage):
    name = encrypted_storage.save("evidence/2026/order.txt", ContentFile(b"order"))
    age(private_storage, name, AN_HOUR)

    assert orphan_sweep(started_at=timezone.now()) == []
    assert (private_storage / name).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_rotation_killed_while_copying_a_file_leaves_a_copy_the_next_run_removes(settings, private_storage):
    """The command in its own process, killed (SIGKILL) while it writes the copy under the new key."""
    require_real_stack()
    settings.FIELD_ENCRYPTION_KEYS = (KEY_A,)
    content = os.urandom(48 * 1024 * 1024)  # large enough for the copy to take a while to write
    attachment = attachment_with(content)
    original = attachment.file.name
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith("FIELD_ENCRYPTION_KEY")},
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "0",
        "FIELD_ENCRYPTION_KEYS": f"{KEY_B},{KEY_A}",
        "PRIVATE_STORAGE_ROOT": str(private_storage),
    }
    command = [sys.executable, "manage.py", "rotate_encryption_keys", "--batch-size", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while stored_files(private_storage) == {original} and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    process.kill()
    process.wait(timeout=10)

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A)  # the killed run re-encrypted the texts before the files
    (copy,) = stored_files(private_storage) - {original}
    attachment.refresh_from_db()
    assert attachment.file.name == original, "the run pointed the row at its copy before the kill"

    age(private_storage, copy, AN_HOUR)  # the next run comes later: the copy is no upload in progress
    output = rotate()

    assert f"Removed {copy}" in output
    assert "Orphan files removed: 1." in output
    attachment.refresh_from_db()
    assert stored_files(private_storage) == {attachment.file.name}
    settings.FIELD_ENCRYPTION_KEYS = (KEY_B,)
    with attachment.file.open() as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == attachment.sha256
    assert "Orphan files removed: 0." in rotate()
