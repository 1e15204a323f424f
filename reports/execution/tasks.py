"""The worker's side of reminders: a thin task that takes the recorded reminder's id and calls the service."""

from __future__ import annotations

from celery import shared_task

from reports.execution.period_services import period_reminder_send, reminders_send_pending


@shared_task(name="reports.reminders.send_period_reminder")
def send_period_reminder(event_id: int) -> int:
    """Kicked when a reminder commits; a refused e-mail stays in the outbox for the drain."""
    return period_reminder_send(event_id=event_id)


@shared_task(name="reports.reminders.send_pending_reminders")
def send_pending_reminders() -> int:
    """Periodic (beat): the reminders' outbox drain, which retries what the mail server or the broker let down."""
    return reminders_send_pending()
