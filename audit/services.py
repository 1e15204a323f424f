"""Appending to the audit trail: the one public function is `record`.

Appends are serialised so that two writers never chain onto the same previous hash: on PostgreSQL by a
transaction-level advisory lock held until the caller's transaction ends, on SQLite (the embedded demo) by the
database's single writer lock, which `config.settings` takes at the start of every transaction. The unique
`previous_hash` and `sequence` columns refuse a fork even if that ever failed.

An event is written in the caller's transaction: if the action is rolled back, so is its entry.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.chain import GENESIS, entry_hash
from audit.models import AuditEvent
from core.counters import client_address

# An arbitrary constant naming the advisory lock of the chain ("AUDT").
CHAIN_LOCK = 0x41554454
# Details are ids, numbers and short labels: anything longer is cut, so no text of a document can slip in whole.
DETAIL_LIMIT = 200


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    try:
        return ipaddress.ip_address(client_address(request)).compressed
    except ValueError:
        return ""


def _detail(value: Any) -> Any:
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_detail(item) for item in value]
    return str(value)[:DETAIL_LIMIT]


def _actor(actor, request: HttpRequest | None):
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
    return actor


def record(
    action: str,
    *,
    actor=None,
    organisation=None,
    target: models.Model | None = None,
    label: str | None = None,
    request: HttpRequest | None = None,
    username: str = "",
    **details: Any,
) -> AuditEvent:
    """Append one event. `target` is the object acted on; `label` replaces `str(target)` where that could say more
    than an administrator may read. `username` names an actor that has no account (a failed sign-in)."""
    actor = _actor(actor, request)
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        entry = {
            "sequence": (last["sequence"] + 1) if last else 1,
            "occurred_at": timezone.now(),
            "actor_id": actor.pk if actor is not None else None,
            "actor_username": (actor.get_username() if actor is not None else username)[:150],
            "action": str(action),
            "organisation_id": organisation.pk if organisation is not None else None,
            "target_type": target._meta.label_lower if target is not None else "",
            "target_id": str(target.pk) if target is not None else "",
            "target_label": (label if label is not None else str(target) if target is not None else "")[:200],
            "details": {key: _detail(value) for key, value in details.items()},
            "client_ip": _address(request),
            "previous_hash": last["hash"] if last else GENESIS,
        }
        entry["hash"] = entry_hash(entry)
        return AuditEvent.objects.create(**entry)


def chain_head() -> AuditEvent | None:
    """The latest entry, whose hash commits to the whole log so far."""
    return AuditEvent.objects.order_by("-sequence").first()
