"""Reserve a key, keep the answer, replay it; forget keys after a day (`idempotency_cleanup`, in the daily job)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from idempotency.models import IdempotentRequest

KEEP_FOR = dt.timedelta(hours=24)
# A request still "in progress" after this long died with its worker: its key is free again.
ABANDONED_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Reservation:
    record: IdempotentRequest
    created: bool


def idempotency_reserve(
    *, user, key: str, method: str, path: str, fingerprint: str, now: dt.datetime | None = None
) -> Reservation:
    """Take `key` for this request, or return who holds it. The unique constraint makes two concurrent first
    requests safe: exactly one insert succeeds; the other reads the winner's row (in progress, or answered)."""
    now = now or timezone.now()
    IdempotentRequest.objects.filter(user=user, key=key, expires_at__lte=now).delete()
    IdempotentRequest.objects.filter(
        user=user, key=key, status_code__isnull=True, created_at__lte=now - ABANDONED_AFTER
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                user=user, key=key, method=method, path=path, fingerprint=fingerprint, expires_at=now + KEEP_FOR
            )
    except IntegrityError:
        record = IdempotentRequest.objects.filter(user=user, key=key).first()
        if record is None:  # the holder released it just now: try once more
            return idempotency_reserve(user=user, key=key, method=method, path=path, fingerprint=fingerprint)
        return Reservation(record=record, created=False)
    return Reservation(record=record, created=True)


def idempotency_complete(*, record: IdempotentRequest, status_code: int, content_type: str, content: bytes) -> None:
    """Keep a successful answer for replay."""
    record.status_code, record.content_type, record.content = status_code, content_type, content
    record.save(update_fields=["status_code", "content_type", "content"])


def idempotency_release(*, record: IdempotentRequest) -> None:
    """Forget a key whose request failed: nothing was created, so the client may retry with the same key."""
    IdempotentRequest.objects.filter(pk=record.pk).delete()


def idempotency_cleanup(*, now: dt.datetime | None = None) -> int:
    """Delete expired keys; returns how many."""
    deleted, _ = IdempotentRequest.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
