"""Retention: a closed whistleblower case's content is erased WHISTLEBLOWER_RETENTION_DAYS after it was closed.

What stays is the journal's registration record (domain §6): the number and dates, channel, anonymous or not, basis
of knowledge, the unit concerned, status, assignee, forwardings, the journal's summary and the outcome — the journal
export keeps listing the case. What goes is what can identify the whistleblower or was only needed to handle the case:
the identity, the report's own texts (what happened, who is involved, where and when), the correspondence, the
attachments (their files removed from the storage), the texts of identity-disclosure notices and the receipt that
opened the case to its holder. The identity's row is kept emptied, so the log of who read it while it existed stays.

A case is never erased while open, while the officer holds it for proceedings that still need it (`retention_hold`),
nor while a disclosure notice on it is pending (neither followed by the disclosure nor withdrawn): the identity may
still have to be disclosed under it. Erasing is idempotent: a case
erased once is left alone, and a run stopped half-way is finished by the next one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record
from whistleblowers.choices import CaseStatus, ErasureReason
from whistleblowers.models import (
    CaseErasure,
    DisclosureNotice,
    ReportAttachment,
    ReporterIdentity,
    ReportMessage,
    WhistleblowerReport,
)
from whistleblowers.signals import case_erased

ERASED_TEXTS = ("details", "accused", "place_and_time")
IDENTITY_TEXTS = ("full_name", "contacts", "position")
NOTICE_TEXTS = ("ground", "recipient", "disclosure_note", "withdrawal_reason")


def retention_limit(*, today: date, days: int) -> date:
    """The last closing day still kept on `today`: a case is kept `days` full days after the day it closed."""
    return today - timedelta(days=days)


def _pending_notice():
    return DisclosureNotice.objects.filter(report=OuterRef("pk"), disclosed_on__isnull=True, withdrawn_at__isnull=True)


def cases_due_for_erasure(*, today: date | None = None) -> QuerySet[WhistleblowerReport]:
    """Closed cases past the retention period, not erased yet and not held by a pending disclosure notice."""
    today = today or timezone.localdate()
    limit = retention_limit(today=today, days=settings.WHISTLEBLOWER_RETENTION_DAYS)
    return (
        WhistleblowerReport.objects.filter(
            status=CaseStatus.CLOSED, closed_on__lt=limit, erasure__isnull=True, retention_hold=""
        )
        .exclude(Exists(_pending_notice()))
        .order_by("closed_on", "pk")
    )


def _refuse_unless_erasable(report: WhistleblowerReport, *, reason: str, today: date) -> None:
    if report.status != CaseStatus.CLOSED:
        raise ValidationError(_("An open case is never erased."))
    if report.retention_hold:
        raise ValidationError(_("The case is kept beyond its retention period while proceedings need it."))
    if DisclosureNotice.objects.filter(report=report, disclosed_on__isnull=True, withdrawn_at__isnull=True).exists():
        raise ValidationError(_("The case is held by a pending identity disclosure notice and is not erased."))
    limit = retention_limit(today=today, days=settings.WHISTLEBLOWER_RETENTION_DAYS)
    if reason == ErasureReason.RETENTION and not report.closed_on < limit:
        raise ValidationError(_("The retention period of this case has not passed yet."))


def _withdraw_quoting_documents(report: WhistleblowerReport) -> int:
    """Ask the apps that rendered documents quoting the case (the reports app's journals) to withdraw them."""
    replies = case_erased.send(
        sender=WhistleblowerReport,
        report=report,
        organisation_id=report.organisation_id,
        year=report.registration_year,
    )
    return sum(withdrawn for _receiver, withdrawn in replies)


@transaction.atomic
def erase_case(case: WhistleblowerReport, *, reason: str) -> dict[str, int]:
    """Erase the case's content (see the module's docstring) and record it; returns the counts of what was erased,
    empty when the case had been erased before. Files are removed before the rows: if the transaction then fails,
    the rows that remain name missing files and the next run removes them, rather than files being left behind."""
    report = WhistleblowerReport.objects.select_for_update().get(pk=case.pk)
    if CaseErasure.objects.filter(report=report).exists():
        return {}
    _refuse_unless_erasable(report, reason=reason, today=timezone.localdate())

    attachments = list(ReportAttachment.objects.filter(report=report))
    for attachment in attachments:
        attachment.file.storage.delete(attachment.file.name)
    ReportAttachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()

    notices = DisclosureNotice.objects.filter(report=report)
    notice_count = notices.update(message=None, **dict.fromkeys(NOTICE_TEXTS, ""))
    _total, deleted = ReportMessage.objects.filter(report=report).delete()  # their officers' notices go with them
    message_count = deleted.get(ReportMessage._meta.label, 0)
    identity_count = ReporterIdentity.objects.filter(report=report).update(**dict.fromkeys(IDENTITY_TEXTS, ""))
    texts = [name for name in ERASED_TEXTS if getattr(report, name)]
    had_receipt = bool(report.receipt_hash)
    # update(): the officer's open forms keep their version; nothing they could still save was changed.
    WhistleblowerReport.objects.filter(pk=report.pk).update(
        receipt_hash=None, submission_token=None, **dict.fromkeys(ERASED_TEXTS, "")
    )

    erased = {
        "identity": identity_count,
        "texts": len(texts),
        "messages": message_count,
        "attachments": len(attachments),
        "notice_texts": notice_count,
        "receipt": int(had_receipt),
        # Journals rendered before, which quoted the erased texts: their files deleted, to be requested again.
        "generated_reports": _withdraw_quoting_documents(report),
    }
    CaseErasure.objects.create(report=report, reason=reason, erased=erased)
    # In the tamper-evident trail too: the counts only, as CaseErasure keeps them; the worker acts, so no actor.
    audit_record(AuditAction.CASE_ERASED, organisation=report.organisation, target=report, reason=reason, **erased)
    return erased


def retention_run() -> int:
    """The daily job: erase every case due, each in its own transaction; returns how many were erased.

    A case that became ineligible between the query and its turn (a disclosure notice recorded meanwhile) is left
    for a later day.
    """
    erased = 0
    for report in cases_due_for_erasure().only("pk"):
        try:
            if erase_case(report, reason=ErasureReason.RETENTION):
                erased += 1
        except ValidationError:
            continue
    return erased
