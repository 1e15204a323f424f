"""The worker's side of the officers' notices: thin tasks that take an id and call the service."""

from __future__ import annotations

from celery import shared_task

from whistleblowers.notifications import officer_notice_send, officer_notices_send_pending


@shared_task
def send_officer_notice(notice_id: int) -> bool:
    """Kicked when a report or message commits; a refused e-mail is left in the outbox for the drain."""
    return officer_notice_send(notice_id=notice_id)


@shared_task
def send_pending_officer_notices() -> int:
    """Periodic (beat): the outbox drain, which also retries what the mail server or the broker let down."""
    return officer_notices_send_pending()
