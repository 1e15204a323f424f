"""The lawful disclosure of a whistleblower's identity (art. 53-5 of the Law «Про запобігання корупції»).

A whistleblower's identity is confidential. Where the law allows it to be disclosed, the whistleblower is notified at
least `CaseRules.disclosure_notice_working_days` working days before; the disclosure itself is recorded against that
notice, or the notice is withdrawn. Every step is kept with who recorded it and when.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record
from whistleblowers.choices import NoticeChannel
from whistleblowers.deadlines import earliest_disclosure_on
from whistleblowers.models import DisclosureNotice, ReporterIdentity, WhistleblowerReport
from whistleblowers.selectors import rules_by_organisation
from whistleblowers.services import message_send_by_officer


def _date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def disclosure_notice_text(*, ground: str, recipient: str, earliest_on: date) -> str:
    """The message the whistleblower reads with the receipt, in the active language."""
    return _(
        "Notice of a possible disclosure of your identity.\n\n"
        "Your identity as a whistleblower is confidential. The law allows it to be disclosed in this case, and you "
        "must be told in advance.\n\n"
        "Legal ground: %(ground)s\n"
        "To whom it would be disclosed: %(recipient)s\n"
        "Not before: %(date)s\n\n"
        "If you have questions or objections, reply to this message."
    ) % {"ground": ground, "recipient": recipient, "date": _date(earliest_on)}


@transaction.atomic
def disclosure_notice_create(
    *, report: WhistleblowerReport, user, ground: str, recipient: str, notified_on: date, channel: str
) -> DisclosureNotice:
    """Record that the whistleblower was told their identity may be disclosed; a holder of a receipt also gets the
    notice as a message on the portal, in the working language of the organisation."""
    report = WhistleblowerReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)
    ground, recipient = ground.strip(), recipient.strip()
    today = timezone.localdate()
    if not ReporterIdentity.objects.filter(report=report).exists():
        raise ValidationError(_("This report is anonymous: there is no identity to disclose."))
    if not ground:
        raise ValidationError(_("State the legal ground that allows the disclosure."))
    if not recipient:
        raise ValidationError(_("State to whom the identity would be disclosed."))
    if notified_on > today:
        raise ValidationError(_("The date the whistleblower was notified cannot be in the future."))
    if notified_on < timezone.localdate(report.received_at):
        raise ValidationError(_("The whistleblower cannot have been notified before the report was received."))
    if channel == NoticeChannel.PORTAL:
        if report.receipt_hash is None:
            raise ValidationError(
                _("This whistleblower has no receipt and cannot read messages here; choose how they were notified.")
            )
        if notified_on != today:
            raise ValidationError(
                _("A notice through the portal is sent now: set today's date, or choose how they were notified.")
            )
    rules = rules_by_organisation([report.organisation_id])[report.organisation_id]
    earliest_on = earliest_disclosure_on(notified_on, rules)
    message = None
    if report.receipt_hash is not None:
        with translation.override(report.organisation.working_language):
            body = disclosure_notice_text(ground=ground, recipient=recipient, earliest_on=earliest_on)
        message = message_send_by_officer(report=report, user=user, body=body)
    notice = DisclosureNotice.objects.create(
        report=report,
        ground=ground,
        recipient=recipient,
        notified_on=notified_on,
        channel=channel,
        notice_working_days=rules.disclosure_notice_working_days,
        earliest_disclosure_on=earliest_on,
        message=message,
        created_by=user,
    )
    # Ids and dates only: the ground and the recipient are the officer's words about the case.
    audit_record(
        AuditAction.DISCLOSURE_NOTICE,
        actor=user,
        organisation=report.organisation,
        target=report,
        notice=notice.pk,
        earliest_disclosure_on=earliest_on.isoformat(),
    )
    return notice


def _locked(notice: DisclosureNotice) -> DisclosureNotice:
    # Re-read under a lock: two officers cannot both disclose, or disclose while the other withdraws.
    return DisclosureNotice.objects.select_for_update().get(pk=notice.pk)


def _refuse_unless_pending(notice: DisclosureNotice) -> None:
    if notice.withdrawn_at is not None:
        raise ValidationError(
            _("This notice was withdrawn on %(date)s; a disclosure needs a new notice to the whistleblower.")
            % {"date": _date(timezone.localdate(notice.withdrawn_at))}
        )
    if notice.disclosed_on is not None:
        raise ValidationError(
            _("The disclosure under this notice was already recorded: %(date)s.") % {"date": _date(notice.disclosed_on)}
        )


@transaction.atomic
def disclosure_record(*, notice: DisclosureNotice, user, disclosed_on: date, note: str) -> DisclosureNotice:
    """Record that the identity was disclosed under this notice; never before the notice period has run."""
    notice = _locked(notice)
    note = note.strip()
    _refuse_unless_pending(notice)
    if disclosed_on < notice.earliest_disclosure_on:
        raise ValidationError(
            _(
                "Not before %(date)s: the whistleblower must be notified at least %(days)s working days before "
                "the disclosure."
            )
            % {"date": _date(notice.earliest_disclosure_on), "days": notice.notice_working_days}
        )
    if disclosed_on > timezone.localdate():
        raise ValidationError(_("Record a disclosure once it has happened: its date cannot be in the future."))
    if not note:
        raise ValidationError(_("Describe the disclosure: what was disclosed, to whom and by which document."))
    notice.disclosed_on = disclosed_on
    notice.disclosure_note = note
    notice.disclosed_by = user
    notice.disclosure_recorded_at = timezone.now()
    notice.save(update_fields=["disclosed_on", "disclosure_note", "disclosed_by", "disclosure_recorded_at"])
    report = notice.report
    audit_record(
        AuditAction.IDENTITY_DISCLOSED,
        actor=user,
        organisation=report.organisation,
        target=report,
        notice=notice.pk,
        disclosed_on=disclosed_on.isoformat(),
    )
    return notice


@transaction.atomic
def disclosure_notice_withdraw(*, notice: DisclosureNotice, user, reason: str) -> DisclosureNotice:
    """The disclosure will not happen on this notice; it stays on record with the reason."""
    notice = _locked(notice)
    reason = reason.strip()
    if notice.disclosed_on is not None:
        raise ValidationError(
            _("The identity was already disclosed under this notice (%(date)s); it can no longer be withdrawn.")
            % {"date": _date(notice.disclosed_on)}
        )
    if notice.withdrawn_at is not None:
        raise ValidationError(_("This notice has already been withdrawn."))
    if not reason:
        raise ValidationError(_("State why the notice is withdrawn."))
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_by = user
    notice.withdrawal_reason = reason
    notice.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return notice
