"""Writes for whistleblower reports and the inducement journal: every state change goes through here."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record
from core.concurrency import save_if_unchanged
from core.updating import model_update
from core.uploads import Sniffed
from whistleblowers.choices import CaseStatus, Channel, MessageAuthor, Recipient
from whistleblowers.models import (
    CaseErasure,
    CaseRules,
    Forwarding,
    IdentityAccess,
    InducementNotification,
    ReportAttachment,
    ReporterIdentity,
    ReportMessage,
    WhistleblowerReport,
)
from whistleblowers.notifications import officer_notice_record
from whistleblowers.receipts import receipt_generate, receipt_hash, receipt_seal, receipt_unseal, token_digest
from whistleblowers.security import shared_cache

# Which status may follow which (domain §6). Closing needs an outcome; forwarding needs a forwarding record.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.RECEIVED: frozenset(
        {CaseStatus.PRELIMINARY_REVIEW, CaseStatus.FORWARDED, CaseStatus.NOT_IN_COMPETENCE, CaseStatus.ORDINARY_APPEAL}
    ),
    CaseStatus.PRELIMINARY_REVIEW: frozenset(
        {CaseStatus.VERIFICATION, CaseStatus.FORWARDED, CaseStatus.NOT_IN_COMPETENCE, CaseStatus.ORDINARY_APPEAL}
    ),
    CaseStatus.VERIFICATION: frozenset({CaseStatus.FORWARDED, CaseStatus.CLOSED}),
    CaseStatus.FORWARDED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.NOT_IN_COMPETENCE: frozenset({CaseStatus.CLOSED}),
    CaseStatus.ORDINARY_APPEAL: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}
# How long a repeated submission of the same form can still show its receipt again.
RESUBMIT_WINDOW_SECONDS = 15 * 60


def _sealed_key(token: str) -> str:
    return "wb-receipt:" + hashlib.sha256(f"sealed:{token}".encode()).hexdigest()


@dataclass(frozen=True)
class Submission:
    report: WhistleblowerReport
    # None only when a repeated submission arrives after the receipt left the cache.
    receipt: str | None
    repeated: bool


def case_rules_for(*, organisation) -> CaseRules:
    rules, _created = CaseRules.objects.get_or_create(organisation=organisation)
    return rules


def _store_attachment(*, report: WhistleblowerReport, sniffed: Sniffed, original_name: str, message=None):
    # A random stored name: the original name may identify the whistleblower and is kept only encrypted.
    name = f"{uuid.uuid4().hex}.{sniffed.extension}"
    attachment = ReportAttachment(
        report=report,
        message=message,
        original_name=original_name[:200],
        content_type=sniffed.content_type,
        size=len(sniffed.content),
        sha256=hashlib.sha256(sniffed.content).hexdigest(),
    )
    attachment.file.save(name, ContentFile(sniffed.content), save=False)
    attachment.save()
    return attachment


def report_submit_public(
    *,
    organisation,
    token: str,
    basis_of_knowledge: str,
    details: str,
    accused: str = "",
    place_and_time: str = "",
    is_anonymous: bool = True,
    full_name: str = "",
    contacts: str = "",
    position: str = "",
    files: list[tuple[Sniffed, str]] = (),
) -> Submission:
    """A report from the public form. The same form sent twice (same one-time token) creates one report."""
    digest = token_digest(token)
    existing = WhistleblowerReport.objects.filter(submission_token=digest).first()
    if existing is not None:
        return _repeated(existing, token)
    if not is_anonymous and not full_name.strip():
        raise ValidationError(_("Enter your name, or choose to report anonymously."))
    receipt = receipt_generate()
    try:
        with transaction.atomic():
            report = WhistleblowerReport.objects.create(
                organisation=organisation,
                received_at=timezone.now(),
                channel=Channel.WEB_FORM,
                basis_of_knowledge=basis_of_knowledge,
                is_anonymous=is_anonymous,
                details=details,
                accused=accused,
                place_and_time=place_and_time,
                receipt_hash=receipt_hash(receipt, organisation_id=organisation.pk),
                submission_token=digest,
                status_changed_on=timezone.localdate(),
            )
            if not is_anonymous:
                ReporterIdentity.objects.create(
                    report=report, full_name=full_name, contacts=contacts, position=position
                )
            for sniffed, original_name in files:
                _store_attachment(report=report, sniffed=sniffed, original_name=original_name)
            officer_notice_record(report=report)
    except IntegrityError:
        # Two copies of the form raced each other: the other one created the report.
        existing = WhistleblowerReport.objects.filter(submission_token=digest).first()
        if existing is None:
            raise
        return _repeated(existing, token)
    # The case and its notice are saved: a cache that cannot keep the sealed copy costs only the re-display of the
    # receipt on a repeated submission, never the receipt shown now.
    _cache_safely(cache.set, _sealed_key(token), receipt_seal(receipt, token=token), RESUBMIT_WINDOW_SECONDS)
    return Submission(report=report, receipt=receipt, repeated=False)


def _cache_safely(operation, *args):
    """A cache call whose failure (Redis down or hung) is logged and answered with None instead of a server error.

    The one-time token is enforced by PostgreSQL (the unique submission token), not by the cache, so an unreachable
    cache can never let a replayed form create a second report; it can only mean a repeated form cannot show its
    receipt again and gets the "already received" page, and a confirmed receipt's sealed copy lingers encrypted
    under the token until it expires (RESUBMIT_WINDOW_SECONDS).
    """
    return shared_cache(lambda: operation(*args), fallback=lambda: None)


def _repeated(report: WhistleblowerReport, token: str) -> Submission:
    return Submission(report=report, receipt=submission_receipt(token=token), repeated=True)


def submission_receipt(*, token: str) -> str | None:
    """The receipt of a submission made minutes ago with this form token, for the confirmation step."""
    sealed = _cache_safely(cache.get, _sealed_key(token))
    return receipt_unseal(sealed, token=token) if sealed else None


def submission_confirm(*, organisation, token: str, typed_receipt: str) -> bool:
    """The whistleblower proved they saved the receipt; the sealed copy is then forgotten for good."""
    report = WhistleblowerReport.objects.filter(organisation=organisation, submission_token=token_digest(token)).first()
    if report is None or report.receipt_hash != receipt_hash(typed_receipt, organisation_id=organisation.pk):
        return False
    _cache_safely(cache.delete, _sealed_key(token))
    return True


@transaction.atomic
def _allocate_number(*, report: WhistleblowerReport, on: date) -> None:
    # Locking the organisation's rules row serialises numbering: two registrations cannot take the same number.
    rules = CaseRules.objects.select_for_update().get(pk=case_rules_for(organisation=report.organisation).pk)
    last = (
        WhistleblowerReport.objects.filter(organisation_id=report.organisation_id, registration_year=on.year).aggregate(
            last=Max("registration_sequence")
        )["last"]
        or 0
    )
    report.registration_year = on.year
    report.registration_sequence = last + 1
    report.registration_number = rules.number_pattern.format(seq=last + 1, year=on.year)


@transaction.atomic
def report_register(*, report: WhistleblowerReport, user, on: date | None = None) -> WhistleblowerReport:
    """Give a report from the public form its number in the journal."""
    report = WhistleblowerReport.objects.select_for_update().get(pk=report.pk)
    if report.registration_number:
        raise ValidationError(
            _("This report is already registered as %(number)s.") % {"number": report.registration_number}
        )
    _allocate_number(report=report, on=on or timezone.localdate())
    if report.assignee_id is None:
        report.assignee = user
    report.save()
    return report


@transaction.atomic
def report_create_by_staff(
    *,
    organisation,
    user,
    channel: str,
    received_at: datetime,
    basis_of_knowledge: str,
    details: str,
    summary: str = "",
    accused: str = "",
    place_and_time: str = "",
    concerns_head: bool = False,
    is_anonymous: bool = True,
    full_name: str = "",
    contacts: str = "",
    position: str = "",
) -> WhistleblowerReport:
    """A report received by phone, e-mail, post, in person or through NAZK's portal, registered at once."""
    if channel == Channel.WEB_FORM:
        raise ValidationError(_("Reports from the website form arrive by themselves; choose the channel it came by."))
    if received_at > timezone.now():
        raise ValidationError(_("The date of receipt cannot be in the future."))
    if not is_anonymous and not full_name.strip():
        raise ValidationError(_("Enter the whistleblower's name, or mark the report as anonymous."))
    report = WhistleblowerReport(
        organisation=organisation,
        received_at=received_at,
        channel=channel,
        basis_of_knowledge=basis_of_knowledge,
        is_anonymous=is_anonymous,
        summary=summary,
        details=details,
        accused=accused,
        place_and_time=place_and_time,
        concerns_head=concerns_head,
        assignee=user,
        status_changed_on=timezone.localdate(received_at),
    )
    _allocate_number(report=report, on=timezone.localdate())
    report.save()
    if not is_anonymous:
        ReporterIdentity.objects.create(report=report, full_name=full_name, contacts=contacts, position=position)
    return report


@transaction.atomic
def report_update_summary(
    *, report: WhistleblowerReport, summary: str, concerns_head: bool, accused_unit=None, expected_version: int | None
) -> WhistleblowerReport:
    """The officer's summary for the journal, unless another officer saved one after `expected_version`."""
    report.summary = summary
    report.concerns_head = concerns_head
    report.accused_unit = accused_unit
    # Only these columns: the case's status and deadlines change through other actions meanwhile.
    return save_if_unchanged(
        report, expected_version=expected_version, fields=["summary", "concerns_head", "accused_unit"]
    )


@transaction.atomic
def report_assign(*, report: WhistleblowerReport, assignee) -> WhistleblowerReport:
    report.assignee = assignee
    report.save(update_fields=["assignee"])
    return report


@transaction.atomic
def report_change_status(
    *, report: WhistleblowerReport, status: str, on: date | None = None, outcome: str = ""
) -> WhistleblowerReport:
    """Move the case on; the state is re-read under a lock so two officers cannot skip a step together."""
    report = WhistleblowerReport.objects.select_for_update().get(pk=report.pk)
    on = on or timezone.localdate()
    if not report.registration_number:
        raise ValidationError(_("Register the report before changing its status."))
    if status not in TRANSITIONS[report.status]:
        raise ValidationError(
            _("A report that is “%(current)s” cannot become “%(new)s”.")
            % {"current": report.get_status_display(), "new": CaseStatus(status).label}
        )
    if status == CaseStatus.FORWARDED and not report.forwardings.exists():
        raise ValidationError(_("Record where the report was sent (recipient, date, outgoing number) first."))
    if status == CaseStatus.CLOSED:
        outcome = outcome.strip() or report.outcome
        if not outcome:
            raise ValidationError(_("Describe the outcome before closing the case."))
        report.outcome = outcome
        report.closed_on = on
    if status == CaseStatus.VERIFICATION:
        report.verification_started_on = on
    report.status = status
    report.status_changed_on = on
    report.save()
    return report


@transaction.atomic
def report_extend_verification(*, report: WhistleblowerReport) -> WhistleblowerReport:
    report = WhistleblowerReport.objects.select_for_update().get(pk=report.pk)
    if report.status != CaseStatus.VERIFICATION:
        raise ValidationError(_("Only a verification in progress can be extended."))
    if report.verification_extended:
        raise ValidationError(_("The verification has already been extended once."))
    report.verification_extended = True
    report.save(update_fields=["verification_extended"])
    return report


@transaction.atomic
def report_update_outcome(*, report: WhistleblowerReport, outcome: str) -> WhistleblowerReport:
    report.outcome = outcome
    report.save(update_fields=["outcome"])
    return report


@transaction.atomic
def report_set_retention_hold(
    *, report: WhistleblowerReport, retention_hold: str, expected_version: int | None
) -> WhistleblowerReport:
    """Keep the case beyond its retention period while proceedings need it (an empty reason lifts the hold),
    unless someone saved the case after `expected_version`: two officers must not silently undo each other's hold.
    An erased case has nothing left to hold."""
    if CaseErasure.objects.filter(report_id=report.pk).exists():
        raise ValidationError(_("This case was erased under the retention rule; only its registration record is kept."))
    report.retention_hold = retention_hold.strip()
    return save_if_unchanged(report, expected_version=expected_version, fields=["retention_hold"])


@transaction.atomic
def report_mark_informed(*, report: WhistleblowerReport, informed_on: date) -> WhistleblowerReport:
    if informed_on > timezone.localdate():
        raise ValidationError(_("The date the whistleblower was informed cannot be in the future."))
    if informed_on < timezone.localdate(report.received_at):
        raise ValidationError(_("The whistleblower cannot have been informed before the report was received."))
    report.reporter_informed_on = informed_on
    report.save(update_fields=["reporter_informed_on"])
    return report


@transaction.atomic
def report_record_offence_signs(*, report: WhistleblowerReport, found_on: date) -> WhistleblowerReport:
    """Record when signs of a corruption offence were found; the 24-hour notification deadline runs from then."""
    if found_on > timezone.localdate():
        raise ValidationError(_("The date the signs were found cannot be in the future."))
    if found_on < timezone.localdate(report.received_at):
        raise ValidationError(_("The signs cannot have been found before the report was received."))
    report.offence_signs_found_on = found_on
    report.save(update_fields=["offence_signs_found_on"])
    return report


@transaction.atomic
def forwarding_create(
    *, report: WhistleblowerReport, recipient: str, sent_on: date, outgoing_number: str, recipient_details: str = ""
) -> Forwarding:
    if not report.registration_number:
        raise ValidationError(_("Register the report before forwarding it."))
    if sent_on < timezone.localdate(report.received_at):
        raise ValidationError(_("A report cannot be sent on before it was received."))
    to_organisation = None
    if recipient == Recipient.PARENT_BODY:
        to_organisation = report.organisation.parent
        if to_organisation is None:
            raise ValidationError(_("This body has no parent body in the portal; choose another recipient."))
    return Forwarding.objects.create(
        report=report,
        recipient=recipient,
        to_organisation=to_organisation,
        recipient_details=recipient_details,
        sent_on=sent_on,
        outgoing_number=outgoing_number,
    )


@transaction.atomic
def message_send_by_officer(*, report: WhistleblowerReport, user, body: str) -> ReportMessage:
    if not body.strip():
        raise ValidationError(_("Write the message first."))
    if report.receipt_hash is None:
        raise ValidationError(_("This whistleblower has no receipt, so they cannot read messages here."))
    return ReportMessage.objects.create(report=report, author=MessageAuthor.OFFICER, officer=user, body=body)


@transaction.atomic
def message_send_by_reporter(
    *, report: WhistleblowerReport, body: str, files: list[tuple[Sniffed, str]] = ()
) -> ReportMessage:
    if not body.strip() and not files:
        raise ValidationError(_("Write a message or attach a file."))
    if report.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed; to report something new, send a new report."))
    message = ReportMessage.objects.create(report=report, author=MessageAuthor.REPORTER, body=body.strip() or "—")
    for sniffed, original_name in files:
        _store_attachment(report=report, sniffed=sniffed, original_name=original_name, message=message)
    officer_notice_record(report=report, message=message)
    return message


def messages_mark_read(*, report: WhistleblowerReport, author: str) -> None:
    ReportMessage.objects.filter(report=report, author=author, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def identity_read(*, report: WhistleblowerReport, user, purpose: str) -> ReporterIdentity:
    """The identity, with a record of who read it, when and why (art. 53-5: every disclosure is accountable)."""
    if not purpose.strip():
        raise ValidationError(_("State why you need the whistleblower's identity."))
    identity = ReporterIdentity.objects.restrict(user).filter(report=report).first()
    if identity is None:
        raise ValidationError(_("This report is anonymous."))
    access = IdentityAccess.objects.create(identity=identity, user=user, purpose=purpose.strip())
    # The stated purpose stays in the officer's own log: it may name people, so the audit trail keeps only ids.
    audit_record(
        AuditAction.IDENTITY_READ, actor=user, organisation=report.organisation, target=report, access=access.pk
    )
    return identity


# The fields of an inducement journal entry its form and its services share; its number comes with registration.
INDUCEMENT_EDITABLE = (
    "registered_on",
    "incoming_number",
    "incoming_date",
    "notifier",
    "summary",
    "sheets",
    "resolution",
    "resolution_due",
    "executor",
    "receipt_acknowledged_on",
    "executed_document_number",
    "executed_document_date",
    "case_file_number",
)


@transaction.atomic
def inducement_create(*, organisation, registered_on: date, **fields) -> InducementNotification:
    # The journal numbers notifications within a calendar year; the organisation's rules row serialises numbering.
    CaseRules.objects.select_for_update().get(pk=case_rules_for(organisation=organisation).pk)
    last = (
        InducementNotification.objects.filter(organisation=organisation, year=registered_on.year).aggregate(
            last=Max("sequence")
        )["last"]
        or 0
    )
    return InducementNotification.objects.create(
        organisation=organisation, year=registered_on.year, sequence=last + 1, registered_on=registered_on, **fields
    )


@transaction.atomic
def inducement_update(
    *, notification: InducementNotification, expected_version: int | None, **fields
) -> InducementNotification:
    """Change a journal entry unless someone saved it after `expected_version` was read."""
    registered_on = fields.get("registered_on", notification.registered_on)
    if registered_on.year != notification.year:
        raise ValidationError(
            _("The registration date must stay within the journal year %(year)s.") % {"year": notification.year}
        )
    notification, _changed = model_update(
        instance=notification, fields=INDUCEMENT_EDITABLE, data=fields, expected_version=expected_version, clean=False
    )
    return notification
