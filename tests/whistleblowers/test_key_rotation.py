"""Key rotation: everything encrypted under key A is re-encrypted under key B by `rotate_encryption_keys`, reads back
once A is gone, without bumping anyone's version; a run stopped half-way continues; bad key settings are refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from config.settings import DEV_FIELD_ENCRYPTION_KEY, encryption_keys
from core.storage import MAGIC, encrypted_storage
from programs.second_factor_models import AuthenticatorApp
from reports.choices import ReportKind, ReportStatus
from tests.factories import (
    GeneratedReportFactory,
    InducementNotificationFactory,
    OrganisationFactory,
    ReporterIdentityFactory,
    WhistleblowerReportFactory,
)
from tests.second_factor import app_device
from tests.worker import ROOT, database_url, require_real_stack
from whistleblowers.choices import MessageAuthor, NoticeChannel
from whistleblowers.models import (
    DisclosureNotice,
    InducementNotification,
    ReportAttachment,
    ReporterIdentity,
    ReportMessage,
    WhistleblowerReport,
)
from whistleblowers.rotation import encrypted_columns

pytestmark = pytest.mark.django_db

# Fixed keys, not generated ones: they appear in parametrised test ids, which every xdist process must agree on.
KEY_A = "dGVzdC1rZXktQS1yb3RhdGlvbi1vbmx5LTAxMjM0NTY="
KEY_B = "dGVzdC1rZXktQi1yb3RhdGlvbi1vbmx5LTAxMjM0NTY="
FILE_BYTES = "Скан службової записки про вимагання 5000 грн".encode() * 5000  # several 64 KiB records


def rotate(*arguments) -> str:
    output = StringIO()
    call_command("rotate_encryption_keys", *arguments, stdout=output)
    return output.getvalue()


def stored(model, pk: int, column: str) -> str:
    """The column as the database holds it: the Fernet token, not the text."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{model._meta.db_table}" WHERE id = %s', [pk])
        return cursor.fetchone()[0]


def everything_encrypted(officer) -> dict:
    """One of every encrypted field and file, with the text each must read back as."""
    report = WhistleblowerReportFactory(
        registered=True,
        summary="Вимагання хабара",
        details="Начальник сектору Коваль вимагав 5000 грн",
        accused="Коваль О. І.",
        place_and_time="кабінет 214, 5 лютого",
        outcome="Передано до НАЗК",
        is_anonymous=False,
    )
    identity = ReporterIdentityFactory(report=report, full_name="Шевченко Тарас", position="інспектор")
    message = ReportMessage.objects.create(report=report, author=MessageAuthor.REPORTER, body="Додаю скан.")
    attachment = ReportAttachment.objects.create(
        report=report,
        message=message,
        file=ContentFile(FILE_BYTES, name="scan.txt"),
        original_name="скан Коваль.txt",
        content_type="text/plain",
        size=len(FILE_BYTES),
        sha256=hashlib.sha256(FILE_BYTES).hexdigest(),
    )
    notice = DisclosureNotice.objects.create(
        report=report,
        ground="ухвала слідчого судді",
        recipient="слідчий НАБУ",
        notified_on=dt.date(2024, 3, 1),
        channel=NoticeChannel.CONTACTS,
        notice_working_days=18,
        earliest_disclosure_on=dt.date(2024, 3, 27),
        created_by=officer,
        withdrawn_at=dt.datetime(2024, 3, 5, tzinfo=dt.UTC),
        withdrawn_by=officer,
        withdrawal_reason="ухвалу скасовано",
        disclosure_note="не розкривалась",
    )
    inducement = InducementNotificationFactory(notifier="Петренко П. П.", summary="Пропозиція вигоди")
    journal = GeneratedReportFactory(
        organisation=report.organisation,
        kind=ReportKind.WHISTLEBLOWER_JOURNAL,
        status=ReportStatus.READY,
        sha256="0" * 64,
        file=ContentFile(FILE_BYTES, name="journal.pdf"),
    )
    # The officer's authenticator app: its TOTP secret is encrypted like the cases.
    app = app_device(officer)
    return {
        "app": app,
        "report": report,
        "identity": identity,
        "message": message,
        "attachment": attachment,
        "notice": notice,
        "inducement": inducement,
        "journal": journal,
    }


def read_back(objects: dict) -> dict:
    report = WhistleblowerReport.objects.get(pk=objects["report"].pk)
    identity = ReporterIdentity.objects.get(pk=objects["identity"].pk)
    notice = DisclosureNotice.objects.get(pk=objects["notice"].pk)
    inducement = InducementNotification.objects.get(pk=objects["inducement"].pk)
    attachment = ReportAttachment.objects.get(pk=objects["attachment"].pk)
    journal = type(objects["journal"]).objects.get(pk=objects["journal"].pk)
    with attachment.file.open() as handle:
        attachment_bytes = handle.read()
    with journal.file.open() as handle:
        journal_bytes = handle.read()
    return {
        "app": AuthenticatorApp.objects.get(pk=objects["app"].pk).key,
        "report": (report.summary, report.details, report.accused, report.place_and_time, report.outcome),
        "identity": (identity.full_name, identity.contacts, identity.position),
        "message": ReportMessage.objects.get(pk=objects["message"].pk).body,
        "attachment": (attachment.original_name, attachment_bytes),
        "notice": (notice.ground, notice.recipient, notice.disclosure_note, notice.withdrawal_reason),
        "inducement": (inducement.notifier, inducement.summary),
        "journal": journal_bytes,
        "versions": (report.version, inducement.version),
    }


def test_the_test_data_covers_every_encrypted_field_and_file_the_models_declare(settings, officer):
    """If someone adds an encrypted field, this fails until the round trip below creates a value of it."""
    settings.FIELD_ENCRYPTION_KEYS = (KEY_A,)
    objects = everything_encrypted(officer)
    covered = {type(item)._meta.label for item in objects.values()}
    declared = {columns.label: columns for columns in encrypted_columns()}
    assert set(declared) == covered
    for label, columns in declared.items():
        instance = next(item for item in objects.values() if type(item)._meta.label == label)
        for name in columns.texts + columns.files:
            assert getattr(instance, name), f"{label}.{name} has no value in the round trip"


def test_a_rotation_round_trips_every_encrypted_field_and_file_and_the_old_key_can_then_go(settings, officer):
    settings.FIELD_ENCRYPTION_KEYS = (KEY_A,)
    objects = everything_encrypted(officer)
    before = read_back(objects)
    token_before = stored(WhistleblowerReport, objects["report"].pk, "details")
    file_before = objects["attachment"].file.name

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A)
    assert "19 value(s) and file(s) still need the old keys" in rotate("--check")
    output = rotate("--batch-size", "1")
    assert "whistleblowers.WhistleblowerReport: 5 changed" in output
    assert "whistleblowers.ReportAttachment: 2 changed" in output  # the original name and the file
    assert "reports.GeneratedReport: 1 changed" in output
    assert "programs.AuthenticatorApp: 1 changed" in output  # the officer's TOTP secret
    assert "Total: 19 changed." in output
    assert "Everything is under the first key: the old keys can be removed." in rotate("--check")

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B,)
    after = read_back(objects)
    assert after == before  # every text and file byte for byte, and no version bumped
    token_after = stored(WhistleblowerReport, objects["report"].pk, "details")
    assert token_after != token_before
    assert Fernet(KEY_B).decrypt(token_after.encode()).decode() == "Начальник сектору Коваль вимагав 5000 грн"
    # The old file is gone from the storage: a copy of the old key's ciphertext does not linger beside the new one.
    assert not encrypted_storage.exists(file_before)
    new_name = ReportAttachment.objects.get().file.name
    assert (settings.PRIVATE_STORAGE_ROOT / new_name).read_bytes().startswith(MAGIC)
    assert "Total: 0 changed." in rotate()


def test_values_written_during_a_rotation_are_already_under_the_new_key_and_are_left_alone(settings, officer):
    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A)
    objects = everything_encrypted(officer)
    assert "Everything is under the first key" in rotate("--check")
    assert "Total: 0 changed." in rotate()
    settings.FIELD_ENCRYPTION_KEYS = (KEY_B,)
    assert read_back(objects)["message"] == "Додаю скан."


def test_a_rotation_stopped_half_way_continues_where_it_stopped_and_a_full_run_then_changes_nothing(settings):
    settings.FIELD_ENCRYPTION_KEYS = (KEY_A,)
    reports = WhistleblowerReportFactory.create_batch(5, summary="Короткий зміст")  # details + summary each
    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A)

    first = rotate("--batch-size", "2", "--max-batches", "1")
    assert "Stopped after 1 batch(es)" in first
    assert "Total: 4 changed." in first
    assert "6 value(s) and file(s) still need the old keys" in rotate("--check")

    second = rotate("--batch-size", "2")
    assert "whistleblowers.WhistleblowerReport: 6 changed" in second
    assert "Total: 6 changed." in second
    assert "Total: 0 changed." in rotate("--batch-size", "2")

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B,)
    assert [report.summary for report in WhistleblowerReport.objects.filter(pk__in=[r.pk for r in reports])] == [
        "Короткий зміст"
    ] * 5


def test_a_value_under_a_key_removed_too_early_stops_the_rotation_with_what_to_do_and_keeps_the_batches_before(
    settings,
):
    settings.FIELD_ENCRYPTION_KEYS = (KEY_A,)
    first, second = WhistleblowerReportFactory.create_batch(2)
    lost_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = (lost_key,)
    WhistleblowerReport.objects.filter(pk=second.pk).update(details="Під ключем, якого вже немає")

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A)
    with pytest.raises(CommandError, match=f"WhistleblowerReport {second.pk}: .*removed too early"):
        rotate("--batch-size", "1")
    assert Fernet(KEY_B).decrypt(stored(WhistleblowerReport, first.pk, "details").encode())

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A, lost_key)
    assert "Total: 1 changed." in rotate("--batch-size", "1")


@pytest.mark.parametrize(
    ("keys", "key", "debug", "expected"),
    [
        (f"{KEY_B},{KEY_A}", None, False, (KEY_B, KEY_A)),
        (f" {KEY_B} , {KEY_A} ,", None, False, (KEY_B, KEY_A)),
        (None, KEY_A, False, (KEY_A,)),  # the older single-key name keeps working
        (None, f"{KEY_B},{KEY_A}", False, (KEY_B, KEY_A)),
        (None, None, True, (DEV_FIELD_ENCRYPTION_KEY,)),
        (None, None, False, "must be set from the environment"),
        (f"{KEY_B},not-a-key", None, False, "key 2 of 2 is not a Fernet key"),
        (KEY_B, KEY_A, False, "not both"),
        (f"{KEY_B},{KEY_B}", None, False, "the same key twice"),
        (f"{KEY_B},{DEV_FIELD_ENCRYPTION_KEY}", None, False, "must not contain the development key"),
        (f"{KEY_B},{DEV_FIELD_ENCRYPTION_KEY}", None, True, (KEY_B, DEV_FIELD_ENCRYPTION_KEY)),
    ],
)
def test_the_key_settings_accept_an_ordered_list_and_refuse_what_they_cannot_use(keys, key, debug, expected):
    if isinstance(expected, tuple):
        assert encryption_keys(keys=keys, key=key, debug=debug) == expected
        return
    with pytest.raises(ImproperlyConfigured, match=expected) as error:
        encryption_keys(keys=keys, key=key, debug=debug)
    assert "not-a-key" not in str(error.value)  # key text never echoed into logs


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_rotation_killed_mid_run_loses_nothing_and_the_next_run_finishes_it(settings):
    """The command in its own process, killed (SIGKILL) after its first batches: nothing is half-written."""
    require_real_stack()
    settings.FIELD_ENCRYPTION_KEYS = (KEY_A,)
    WhistleblowerReportFactory.create_batch(300, organisation=OrganisationFactory())
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith("FIELD_ENCRYPTION_KEY")},
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "0",
        "FIELD_ENCRYPTION_KEYS": f"{KEY_B},{KEY_A}",
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "manage.py", "rotate_encryption_keys", "--batch-size", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True)
    progress = [process.stdout.readline() for _ in range(20)]
    process.kill()
    process.wait(timeout=10)
    process.stdout.close()
    assert all("rows checked" in line for line in progress), progress

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A)
    remaining = int(rotate("--check").split(" value(s)")[0].rsplit("\n", 1)[-1])
    assert 0 < remaining < 300
    assert f"Total: {remaining} changed." in rotate()
    assert "Total: 0 changed." in rotate()
    settings.FIELD_ENCRYPTION_KEYS = (KEY_B,)
    assert {report.details for report in WhistleblowerReport.objects.all()} == {WhistleblowerReportFactory.details}


def test_a_file_under_a_key_removed_too_early_stops_the_rotation_naming_the_row(settings, private_storage):
    lost_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = (lost_key,)
    report = GeneratedReportFactory(status=ReportStatus.READY, sha256="0" * 64, file=ContentFile(b"%PDF", name="a.pdf"))
    name = report.file.name

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A)
    with pytest.raises(CommandError, match=f"GeneratedReport {report.pk} \\({name}\\): .*cannot be read"):
        rotate()
    assert encrypted_storage.exists(name)  # nothing is deleted when the copy could not be made

    settings.FIELD_ENCRYPTION_KEYS = (KEY_B, KEY_A, lost_key)
    assert "reports.GeneratedReport: 1 changed" in rotate()
