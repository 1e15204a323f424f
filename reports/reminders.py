"""The worker's side of reminders: a thin task that takes the recorded reminder's id and calls the service."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from .period_services import period_reminder_send


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=3)
def send_period_reminder(event_id: int) -> int:
    return period_reminder_send(event_id=event_id)
