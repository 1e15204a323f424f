"""Writes to a reporting period's life: open → under commission review → approved (locked), reopened with a reason.

Every transition is written to PeriodEvent so the period page shows who did what, when and why.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record
from core.roles import Role
from programs.choices import DecisionKind
from programs.models import AgendaItem, Membership, Unit
from reports.choices import PeriodAction, PeriodState
from reports.execution.grid import period_gaps, period_grid
from reports.execution.models import PeriodEvent, ReminderDelivery, ReportingPeriod
from reports.permissions import may_evaluate_period, require_keep_period

logger = logging.getLogger(__name__)

# A refused reminder is tried again after 1, 2, 4 … minutes, never less often than hourly.
REMINDER_MAX_BACKOFF = timedelta(hours=1)

# Events that mail the units they name: the secretary's reminder and the scheduler's.
REMINDER_ACTIONS = (PeriodAction.REMINDED, PeriodAction.AUTO_REMINDED, PeriodAction.OVERDUE_REMINDED)


def _locked(period: ReportingPeriod) -> ReportingPeriod:
    return ReportingPeriod.objects.select_for_update(of=("self",)).select_related("program").get(pk=period.pk)


@transaction.atomic
def period_send_for_review(*, user, period: ReportingPeriod) -> ReportingPeriod:
    """Units stop writing; the commission evaluates what was reported."""
    period = _locked(period)
    require_keep_period(user, period)
    if period.state != PeriodState.OPEN:
        raise ValidationError(
            _("Only an open period can be sent for review; this one is “%(state)s”.")
            % {"state": period.get_state_display()}
        )
    period.state = PeriodState.UNDER_REVIEW
    period.save(update_fields=["state"])
    PeriodEvent.objects.create(
        period=period,
        action=PeriodAction.SENT_FOR_REVIEW,
        from_state=PeriodState.OPEN,
        to_state=PeriodState.UNDER_REVIEW,
        by=user,
    )
    return period


@transaction.atomic
def period_conclusion_save(*, user, period: ReportingPeriod, conclusion: str) -> ReportingPeriod:
    """The commission's overall conclusion on the period."""
    period = _locked(period)
    if not may_evaluate_period(user, period):
        raise PermissionDenied(_("Only commission members and the secretary write the conclusion."))
    if period.state == PeriodState.APPROVED:
        raise PermissionDenied(_("The report for %(period)s is approved and locked.") % {"period": period})
    period.conclusion = conclusion.strip()
    period.save(update_fields=["conclusion"])
    return period


def approval_decisions(*, period: ReportingPeriod):
    """Agenda items of the commission's meetings that decided to approve this period's report."""
    return (
        AgendaItem.objects.filter(decision_kind=DecisionKind.APPROVE_PERIOD_REPORT, period=period)
        .select_related("meeting")
        .order_by("-meeting__held_on", "position")
    )


@transaction.atomic
def period_approve(
    *, user, period: ReportingPeriod, decision: AgendaItem, incomplete_reason: str = ""
) -> ReportingPeriod:
    """Record the commission's decision approving the report; the period is locked from now on.

    A report with gaps (see `grid.period_gaps`) is approved only with a recorded reason, which the review page and
    the PDF state.
    """
    period = _locked(period)
    if not may_evaluate_period(user, period):
        raise PermissionDenied(_("Only commission members and the secretary record the commission's approval."))
    if period.state != PeriodState.UNDER_REVIEW:
        raise ValidationError(_("Send the period for commission review before approving it."))
    if decision.decision_kind != DecisionKind.APPROVE_PERIOD_REPORT or decision.period_id != period.pk:
        raise ValidationError(
            {"decision": _("Choose a meeting decision that approves the report for %(period)s.") % {"period": period}}
        )
    if decision.meeting.commission.organisation_id != period.program.organisation_id:
        raise ValidationError({"decision": _("The decision belongs to another organisation's commission.")})
    gaps = period_gaps(period_grid(user=user, period=period))
    incomplete_reason = incomplete_reason.strip() if gaps else ""
    if gaps and not incomplete_reason:
        raise ValidationError(
            {
                "incomplete_reason": " ".join(
                    [
                        *gaps.sentences(),
                        _("To approve the report anyway, give the reason; it is recorded with the approval."),
                    ]
                )
            }
        )
    period.state = PeriodState.APPROVED
    period.approval_decision = decision
    period.approved_at = timezone.now()
    period.approved_with_gaps = incomplete_reason
    period.save(update_fields=["state", "approval_decision", "approved_at", "approved_with_gaps"])
    PeriodEvent.objects.create(
        period=period,
        action=PeriodAction.APPROVED,
        from_state=PeriodState.UNDER_REVIEW,
        to_state=PeriodState.APPROVED,
        decision=decision,
        reason=incomplete_reason,
        by=user,
    )
    audit_record(
        AuditAction.PERIOD_APPROVED,
        actor=user,
        organisation=period.program.organisation,
        target=period,
        decision=decision.pk,
        with_gaps=bool(incomplete_reason),
    )
    return period


@transaction.atomic
def period_reopen(*, user, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    """Open an approved or reviewed period again for corrections; the reason is kept and shown."""
    period = _locked(period)
    require_keep_period(user, period)
    if period.state == PeriodState.OPEN:
        raise ValidationError(_("The period is already open."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the period is reopened; the reason is kept in its history.")})
    previous = period.state
    period.state = PeriodState.OPEN
    period.approval_decision = None
    period.approved_at = None
    period.approved_with_gaps = ""
    period.save(update_fields=["state", "approval_decision", "approved_at", "approved_with_gaps"])
    PeriodEvent.objects.create(
        period=period,
        action=PeriodAction.REOPENED,
        from_state=previous,
        to_state=PeriodState.OPEN,
        reason=reason.strip(),
        by=user,
    )
    return period


def units_with_recipients(units: list[Unit]) -> set[int]:
    """The units that have somebody to remind: their own mailbox, or an active reporter with an e-mail address."""
    reachable = {unit.pk for unit in units if unit.email}
    reachable |= set(
        Membership.objects.filter(unit__in=units, role=Role.REPORTER, user__is_active=True)
        .exclude(user__email="")
        .values_list("unit_id", flat=True)
    )
    return reachable


@transaction.atomic
def period_remind(*, user, period: ReportingPeriod, units: list[Unit]) -> PeriodEvent:
    """Record a reminder to the chosen units that have not submitted; the worker sends the e-mails after commit.

    Only units with somebody to mail are recorded as reminded: a unit without a reporter or mailbox is refused by
    name, so the secretary knows to call them instead.
    """
    require_keep_period(user, period)
    if period.state != PeriodState.OPEN:
        raise ValidationError(_("Reminders are sent only while the period is open."))
    if not units:
        raise ValidationError(_("Tick the units to remind."))
    reachable = units_with_recipients(units)
    units = [unit for unit in units if unit.pk in reachable]
    if not units:
        raise ValidationError(
            _("Nobody to remind: the chosen units have no reporter with an e-mail address and no mailbox of their own.")
        )
    return reminder_record(period=period, action=PeriodAction.REMINDED, units=units, user=user)


def reminder_record(*, period: ReportingPeriod, action: str, units: list[Unit], user=None) -> PeriodEvent:
    """Record a reminder to `units` and put one e-mail per unit in the outbox (ReminderDelivery), inside the
    caller's transaction; the worker is kicked once it commits."""
    event = PeriodEvent.objects.create(period=period, action=action, by=user)
    event.units.set(units)
    ReminderDelivery.objects.bulk_create([ReminderDelivery(event=event, unit=unit) for unit in units])
    from reports.execution.tasks import send_period_reminder

    # robust: with the broker down the kick is lost, not the e-mails; the periodic drain sends them.
    transaction.on_commit(lambda: send_period_reminder.delay(event.pk), robust=True)
    return event


def reminder_recipients(*, unit: Unit) -> list[str]:
    """The unit's own mailbox and the reporters who answer for it."""
    addresses = [unit.email] if unit.email else []
    addresses += list(
        Membership.objects.filter(unit=unit, role=Role.REPORTER, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(addresses))


def _reminder_email(delivery: ReminderDelivery, recipients: list[str]) -> EmailMessage:
    period, unit = delivery.event.period, delivery.unit
    with translation.override("uk"):
        subject = _("Reminder: report on the measures for %(period)s") % {"period": period}
        link = reverse("reports:period", args=[period.pk]) + f"?unit={unit.pk}"
        body = _(
            "The %(unit)s unit has not yet submitted the status of its measures of the anti-corruption program "
            "“%(program)s” for %(period)s. The report is due by %(due)s. Submit it in the portal: %(link)s"
        ) % {
            "unit": unit.abbreviation,
            "program": period.program.title,
            "period": period,
            "due": period.submission_due.strftime("%d.%m.%Y"),
            "link": f"{settings.SITE_URL.rstrip('/')}{link}",
        }
    return EmailMessage(subject, body, to=recipients)


def reminder_delivery_send(*, delivery_id: int) -> bool:
    """Mail one unit's reminder unless it was sent, given up or is being mailed by another process; True when this
    call delivered it. A refusal of the mail server is recorded with the time of the next attempt, not raised."""
    with transaction.atomic():
        delivery = (
            ReminderDelivery.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("event__period__program", "unit")
            .filter(pk=delivery_id, sent_at__isnull=True, next_attempt_at__isnull=False)
            .first()
        )
        if delivery is None:
            return False
        recipients = reminder_recipients(unit=delivery.unit)
        given_up = (
            "PeriodNotOpen" if delivery.event.period.state != PeriodState.OPEN else "" if recipients else "NoRecipient"
        )
        if given_up:  # a reminder about a period under review, or to nobody, would only mislead
            delivery.last_error, delivery.next_attempt_at = given_up, None
            delivery.save(update_fields=["last_error", "next_attempt_at"])
            return False
        delivery.attempts += 1
        try:
            _reminder_email(delivery, recipients).send()
        except OSError as error:  # smtplib.SMTPException is an OSError; so is a refused connection
            delivery.last_error = type(error).__name__
            backoff = min(timedelta(minutes=2 ** (delivery.attempts - 1)), REMINDER_MAX_BACKOFF)
            delivery.next_attempt_at = timezone.now() + backoff
            delivery.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning("Reminder %s to a unit was refused (%s); retried later.", delivery.pk, error)
            return False
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["attempts", "sent_at"])
    return True


def period_reminder_send(*, event_id: int) -> int:
    """Send the e-mails of one recorded reminder that are waiting, one per unit; returns how many went out."""
    waiting = ReminderDelivery.objects.filter(event_id=event_id, sent_at__isnull=True, next_attempt_at__isnull=False)
    return sum(reminder_delivery_send(delivery_id=pk) for pk in waiting.order_by("pk").values_list("pk", flat=True))


def reminders_send_pending(*, limit: int = 200) -> int:
    """The outbox drain: mail the reminders that are due (never sent, back-off elapsed), oldest first."""
    due = ReminderDelivery.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())
    pks = due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    return sum(reminder_delivery_send(delivery_id=pk) for pk in pks)
