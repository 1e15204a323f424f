"""Retention: closed whistleblower cases past WHISTLEBLOWER_RETENTION_DAYS lose their identity, texts, correspondence
and files, keep the journal's registration record, are logged, and the worker's daily job does it."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.choices import AuditAction
from audit.models import AuditEvent
from reports.documents.journals import whistleblower_journal
from reports.documents.tasks import daily_jobs
from tests.factories import ReporterIdentityFactory, WhistleblowerReportFactory
from tests.worker import celery_worker, wait_for
from whistleblowers.choices import CaseStatus, ErasureReason, MessageAuthor, NoticeChannel, Recipient
from whistleblowers.models import (
    CaseErasure,
    DisclosureNotice,
    Forwarding,
    IdentityAccess,
    ReportAttachment,
    ReporterIdentity,
    ReportMessage,
    WhistleblowerReport,
)
from whistleblowers.retention import cases_due_for_erasure, erase_case, retention_run

pytestmark = pytest.mark.django_db

RETENTION_DAYS = 30
RECEIPTS = itertools.count(1)
DETAILS = "Начальник сектору Коваль вимагав 5000 грн за дозвіл"


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.WHISTLEBLOWER_RETENTION_DAYS = RETENTION_DAYS


def attach(report, *, message=None, content: bytes = b"scan of the memo") -> ReportAttachment:
    return ReportAttachment.objects.create(
        report=report,
        message=message,
        file=ContentFile(content, name="scan.txt"),
        original_name="службова записка Коваль.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def full_case(
    organisation, officer, *, closed_days_ago: int | None, hold: bool = False, legal_hold: str = ""
) -> WhistleblowerReport:
    """A registered case with everything retention touches; closed `closed_days_ago` days ago, or open (None)."""
    today = timezone.localdate()
    report = WhistleblowerReportFactory(
        organisation=organisation,
        registered=True,
        is_anonymous=False,
        summary="Вимагання хабара за дозвіл",
        details=DETAILS,
        accused="Коваль О. І.",
        place_and_time="кабінет 214",
        outcome="Факти підтвердились, матеріали передано до НАЗК",
        receipt_hash=f"argon2id${next(RECEIPTS):064x}",
        assignee=officer,
        status=CaseStatus.CLOSED if closed_days_ago is not None else CaseStatus.VERIFICATION,
        closed_on=today - dt.timedelta(days=closed_days_ago) if closed_days_ago is not None else None,
        reporter_informed_on=dt.date(2024, 3, 1),
        retention_hold=legal_hold,
    )
    identity = ReporterIdentityFactory(report=report, full_name="Шевченко Тарас")
    IdentityAccess.objects.create(identity=identity, user=officer, purpose="перевірка")
    attach(report)
    message = ReportMessage.objects.create(report=report, author=MessageAuthor.REPORTER, body="Додаю наказ.")
    attach(report, message=message, content=b"the order")
    Forwarding.objects.create(
        report=report, recipient=Recipient.NAZK, sent_on=dt.date(2024, 2, 20), outgoing_number="7"
    )
    DisclosureNotice.objects.create(
        report=report,
        ground="ухвала слідчого судді",
        recipient="слідчий НАБУ",
        notified_on=dt.date(2024, 3, 1),
        channel=NoticeChannel.PORTAL,
        notice_working_days=18,
        earliest_disclosure_on=dt.date(2024, 3, 27),
        message=message,
        created_by=officer,
        **({} if hold else {"withdrawn_at": timezone.now(), "withdrawn_by": officer, "withdrawal_reason": "скасовано"}),
    )
    return report


def registration_record(report: WhistleblowerReport) -> tuple:
    report = WhistleblowerReport.objects.get(pk=report.pk)
    return (
        report.registration_number,
        report.received_at,
        report.channel,
        report.basis_of_knowledge,
        report.is_anonymous,
        report.summary,
        report.status,
        report.assignee_id,
        report.closed_on,
        report.outcome,
        report.reporter_informed_on,
        report.version,
        list(report.forwardings.values_list("recipient", "sent_on", "outgoing_number")),
        list(report.disclosure_notices.values_list("notified_on", "earliest_disclosure_on", "withdrawn_at")),
    )


def content(report: WhistleblowerReport) -> tuple:
    report = WhistleblowerReport.objects.get(pk=report.pk)
    identity = ReporterIdentity.objects.get(report=report)
    return (
        report.details,
        report.accused,
        report.place_and_time,
        report.receipt_hash,
        identity.full_name,
        identity.contacts,
        ReportMessage.objects.filter(report=report).count(),
        ReportAttachment.objects.filter(report=report).count(),
        sorted(DisclosureNotice.objects.filter(report=report).values_list("ground", flat=True)),
    )


ERASED = ("", "", "", None, "", "", 0, 0, [""])


@pytest.mark.parametrize(
    ("closed_days_ago", "hold", "legal_hold", "already_erased", "erased_now"),
    [
        pytest.param(None, False, "", False, False, id="open"),
        pytest.param(1, False, "", False, False, id="closed-yesterday"),
        pytest.param(RETENTION_DAYS, False, "", False, False, id="closed-exactly-at-the-limit"),
        pytest.param(RETENTION_DAYS + 1, False, "", False, True, id="closed-one-day-past"),
        pytest.param(RETENTION_DAYS + 400, False, "", True, False, id="already-erased"),
        pytest.param(RETENTION_DAYS + 1, True, "", False, False, id="held-by-a-pending-disclosure-notice"),
        pytest.param(RETENTION_DAYS + 1, False, "кримінальне провадження № 42024", False, False, id="legal-hold"),
    ],
)
def test_the_daily_job_erases_exactly_the_closed_cases_past_the_retention_period(
    organisation, officer, private_storage, closed_days_ago, hold, legal_hold, already_erased, erased_now
):
    report = full_case(organisation, officer, closed_days_ago=closed_days_ago, hold=hold, legal_hold=legal_hold)
    if already_erased:
        erase_case(report, reason=ErasureReason.RETENTION)
        first_erasure = CaseErasure.objects.get(report=report)
    record, before = registration_record(report), content(report)
    files = [private_storage / name for name in ReportAttachment.objects.values_list("file", flat=True)]

    assert retention_run() == int(erased_now)

    assert registration_record(report) == record  # the journal's record stays whatever happens
    if erased_now:
        assert content(report) == ERASED
        assert not any(path.exists() for path in files)
        erasure = CaseErasure.objects.get(report=report)
        assert erasure.reason == ErasureReason.RETENTION
        assert erasure.erased == {
            "identity": 1,
            "texts": 3,
            "messages": 1,
            "attachments": 2,
            "notice_texts": 1,
            "receipt": 1,
            "generated_reports": 0,
        }
        assert IdentityAccess.objects.filter(identity__report=report).count() == 1  # who read it, before
        trail = AuditEvent.objects.get(action=AuditAction.CASE_ERASED)  # in the tamper-evident trail, counts only
        assert (trail.target_id, trail.organisation_id, trail.details) == (
            str(report.pk),
            organisation.pk,
            {"reason": ErasureReason.RETENTION, **erasure.erased},
        )
    elif already_erased:
        assert content(report) == before == ERASED
        assert list(CaseErasure.objects.filter(report=report)) == [first_erasure]
        assert CaseErasure.objects.get(report=report).erased_at == first_erasure.erased_at
    else:
        assert content(report) == before
        assert not AuditEvent.objects.filter(action=AuditAction.CASE_ERASED).exists()
        assert before[0] == DETAILS
        assert all(path.exists() for path in files)
        assert not CaseErasure.objects.filter(report=report).exists()
    assert retention_run() == 0  # a second run the same day has nothing left to do


def test_only_the_due_cases_are_selected_among_many(organisation, officer):
    due = [full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + days) for days in (1, 2, 100)]
    kept = [full_case(organisation, officer, closed_days_ago=days) for days in (0, RETENTION_DAYS)]
    kept.append(full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 5, hold=True))
    kept.append(full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 5, legal_hold="справа № 1"))
    assert set(cases_due_for_erasure()) == set(due)
    assert retention_run() == 3
    assert not CaseErasure.objects.filter(report__in=kept).exists()


@pytest.mark.parametrize(
    ("closed_days_ago", "hold", "legal_hold", "message"),
    [
        (None, False, "", "An open case is never erased."),
        (RETENTION_DAYS, False, "", "The retention period of this case has not passed yet."),
        (RETENTION_DAYS + 1, True, "", "pending identity disclosure notice"),
        (RETENTION_DAYS + 1, False, "справа № 1", "kept beyond its retention period while proceedings need it"),
    ],
)
def test_erase_case_itself_refuses_a_case_that_is_not_due(
    organisation, officer, english_messages, closed_days_ago, hold, legal_hold, message
):
    report = full_case(organisation, officer, closed_days_ago=closed_days_ago, hold=hold, legal_hold=legal_hold)
    with pytest.raises(ValidationError, match=message):
        erase_case(report, reason=ErasureReason.RETENTION)
    assert content(report)[0] == DETAILS


def test_the_journal_export_still_lists_an_erased_case_and_the_officer_sees_when_it_was_erased(
    organisation, officer, login
):
    report = full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 1)
    assert erase_case(report, reason=ErasureReason.RETENTION)
    client = login("officer")

    workbook = load_workbook(BytesIO(client.get(reverse("whistleblowers:report-export")).content))
    rows = [[cell.value for cell in row] for row in workbook.active.iter_rows(min_row=2)]
    assert [row[0] for row in rows] == [report.registration_number]
    assert rows[0][4] == "Вимагання хабара за дозвіл"
    assert rows[0][11] == "Факти підтвердились, матеріали передано до НАЗК"
    journal = whistleblower_journal(organisation=organisation, year=2024)
    assert [row.number for row in journal.rows] == [report.registration_number]

    page = client.get(reverse("whistleblowers:report-detail", args=[report.pk])).content.decode()
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Знищено {today} за правилом строку зберігання." in page
    assert DETAILS not in page
    assert "Шевченко" not in page
    assert reverse("whistleblowers:report-identity", args=[report.pk]) not in page
    assert client.get(reverse("whistleblowers:report-identity", args=[report.pk])).status_code == 404


def test_a_form_opened_before_the_erasure_is_answered_with_what_happened_and_changes_nothing(
    organisation, officer, login
):
    report = full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 1)
    erase_case(report, reason=ErasureReason.RETENTION)
    client = login("officer")

    response = client.post(
        reverse("whistleblowers:report-action", args=[report.pk, "message"]), {"body": "Ще одне питання"}, follow=True
    )
    assert response.status_code == 200
    assert "знищено за правилом строку зберігання" in response.content.decode()
    assert not ReportMessage.objects.filter(report=report).exists()


def test_the_officer_holds_a_case_for_proceedings_and_lifts_the_hold_on_the_case_page(organisation, officer, login):
    report = full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 1)
    client = login("officer")
    action = reverse("whistleblowers:report-action", args=[report.pk, "retention-hold"])

    hold = {"retention_hold": " кримінальне провадження № 42024 ", "version": report.version}
    page = client.post(action, hold, follow=True).content.decode()
    assert "Справа зберігатиметься понад строк зберігання." in page
    assert "кримінальне провадження № 42024" in page
    assert retention_run() == 0

    # A second officer's page opened before the hold: lifting it from there is refused, not a silent undo.
    stale = client.post(action, {"retention_hold": "", "version": report.version})
    assert stale.status_code == 409
    assert WhistleblowerReport.objects.get(pk=report.pk).retention_hold == "кримінальне провадження № 42024"

    page = client.post(action, {"retention_hold": "", "version": report.version + 1}, follow=True).content.decode()
    assert "Утримання знято" in page
    assert retention_run() == 1


def test_a_kept_case_page_has_no_erasure_note(organisation, officer, login):
    report = full_case(organisation, officer, closed_days_ago=1)
    page = login("officer").get(reverse("whistleblowers:report-detail", args=[report.pk])).content.decode()
    assert 'id="erasure-note"' not in page
    assert DETAILS in page


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_scheduled_daily_job_erases_a_due_case_in_a_real_worker(organisation, officer, private_storage, settings):
    assert settings.CELERY_BEAT_SCHEDULE["daily-jobs"]["task"] == "reports.tasks.daily_jobs"
    due = full_case(organisation, officer, closed_days_ago=RETENTION_DAYS + 1)
    kept = full_case(organisation, officer, closed_days_ago=RETENTION_DAYS)
    files = [
        private_storage / name for name in ReportAttachment.objects.filter(report=due).values_list("file", flat=True)
    ]

    with celery_worker(environment={"WHISTLEBLOWER_RETENTION_DAYS": str(RETENTION_DAYS)}):
        daily_jobs.delay()
        wait_for(lambda: CaseErasure.objects.filter(report=due).exists(), timeout=60)

    assert content(due) == ERASED
    assert not any(path.exists() for path in files)
    assert content(kept)[0] == DETAILS
    assert not CaseErasure.objects.filter(report=kept).exists()
