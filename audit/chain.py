"""The hash chain of the audit trail, as pure functions (no ORM).

Each entry's hash is SHA-256 over a canonical serialisation of everything it says, including the previous entry's
hash; so changing, removing or reordering any entry changes every hash after it, and the head hash printed on a
report at a given moment commits to the whole log up to that moment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The hash the first entry chains onto.
GENESIS = "0" * 64

HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "organisation_id",
    "target_type",
    "target_id",
    "target_label",
    "details",
    "client_ip",
    "previous_hash",
)


def _moment(value: dt.datetime) -> str:
    # Always UTC with microseconds, whatever time zone the database connection hands back.
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: the hashed fields as JSON with sorted keys and no insignificant whitespace."""
    data = {name: entry[name] for name in HASHED_FIELDS}
    data["occurred_at"] = _moment(entry["occurred_at"])
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first entry at which the chain does not hold, and why."""

    sequence: int
    problem: str


@dataclass(frozen=True)
class Verdict:
    count: int
    head_sequence: int | None
    head_hash: str
    broken: Break | None


def verify(entries: Iterable[Mapping[str, Any]]) -> Verdict:
    """Walk the entries in stored order and name the first one that is missing, out of place or altered.

    Problems are phrased for the person running the command (English, like Django's own management output).
    """
    expected_sequence = 1
    previous = GENESIS
    count = 0
    last_sequence = None
    for entry in entries:
        sequence = entry["sequence"]
        if sequence != expected_sequence:
            if sequence > expected_sequence:
                # The entry named is the first one that should be there and is not: the one removed.
                problem = f"it is missing (the next stored entry is {sequence})"
                return Verdict(count, last_sequence, previous, Break(expected_sequence, problem))
            return Verdict(
                count,
                last_sequence,
                previous,
                Break(sequence, f"it is out of order: entry {expected_sequence} was expected"),
            )
        if entry["previous_hash"] != previous:
            return Verdict(
                count, last_sequence, previous, Break(sequence, "its previous hash does not match the entry before it")
            )
        if entry_hash(entry) != entry["hash"]:
            return Verdict(
                count, last_sequence, previous, Break(sequence, "its content does not match its hash (it was altered)")
            )
        previous = entry["hash"]
        last_sequence = sequence
        expected_sequence += 1
        count += 1
    return Verdict(count, last_sequence, previous, None)
