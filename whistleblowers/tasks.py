"""The worker's side of the officers' notices: thin tasks that take an id and call the service."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from .notifications import report_arrival_notify, reporter_message_notify


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_officers_of_report(report_id: int) -> bool:
    return report_arrival_notify(report_id=report_id)


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_officers_of_message(message_id: int) -> bool:
    return reporter_message_notify(message_id=message_id)
