"""The audit trail as CSV, for the administrators' page and `manage.py audit_export`.

Every cell a spreadsheet program would run as a formula (see `core.spreadsheets`) is written with a leading
apostrophe, so a username or label that begins with "=" opens as the text it is.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from core.spreadsheets import FORMULA_TRIGGERS


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def header() -> list[str]:
    return [
        _("Entry number"),
        _("Time"),
        _("Username"),
        _("Action"),
        _("Organisation"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Details"),
        _("Client address"),
        _("Previous hash"),
        _("Hash"),
    ]


def row(event: AuditEvent) -> list[str]:
    return [
        csv_cell(value)
        for value in (
            event.sequence,
            timezone.localtime(event.occurred_at).isoformat(),
            event.actor_username,
            event.get_action_display(),
            event.organisation.short_name if event.organisation is not None else "",
            event.target_type,
            event.target_id,
            event.target_label,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else "",
            event.client_ip,
            event.previous_hash,
            event.hash,
        )
    ]


def events_csv(events: Iterable[AuditEvent], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(header())
    for event in events:
        writer.writerow(row(event))
