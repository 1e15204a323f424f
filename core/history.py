"""The change history of an object as people read it: who, when, which field, old → new.

Built on django-simple-history. `diff_against` on its own would query the database for every foreign key and every
many-to-many field of every record; here the records, the many-to-many rows and the related objects are each
fetched once, so a page showing fifty changes costs the same handful of queries as one showing five.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_reverse_field_name


class KeptHistoricalRecords(HistoricalRecords):
    """django-simple-history's `HistoricalRecords`, which the model keeps as `_history_records` once it is ready, so
    that `created_with_lists` can write a record itself (simple-history discards the object after registering it)."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            sender._history_records = self


@contextmanager
def created_with_lists(instance: models.Model) -> Iterator[models.Model]:
    """The creation of `instance` and the setting of its many-to-many lists inside the block recorded as ONE history
    record ("created", with the lists as they stand at the end), written when the block ends without an error.

    Left to simple-history, the insert and every list set write a record of their own, each reading every list of the
    object again: a measure with its units and risks was three records and fifteen queries."""
    instance.skip_history_when_saving = True
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving
    record_created(instance)


def record_created(instance: models.Model) -> None:
    """Write the "created" history record of `instance`, saved with simple-history's `skip_history_when_saving`."""
    type(instance)._history_records.create_historical_record(instance, "+")


# Bookkeeping that changes on every save and means nothing to a reader.
HIDDEN_FIELDS = frozenset({"id", "version", "position", "created_at", "updated_at"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    kind: str  # "created", "changed" or "deleted"
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""

    @property
    def kind_label(self) -> str:
        return {"created": _("Created"), "changed": _("Changed"), "deleted": _("Deleted")}[self.kind]


# Records this close together by the same person come from one save of a form.
SAME_EDIT = dt.timedelta(seconds=5)
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _author(record) -> str:
    user = record.history_user
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def _display(model_field: models.Field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(model_field, models.ForeignKey):
        obj = related.get(model_field.related_model, {}).get(value)
        return str(obj) if obj is not None else _("deleted object #%(id)s") % {"id": value}
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _m2m_rows(history_model, m2m_fields, record_ids) -> dict[str, dict[int, tuple[int, ...]]]:
    """For each many-to-many field, the related ids each historical record held: one query per field."""
    result: dict[str, dict[int, tuple[int, ...]]] = {}
    for m2m_field in m2m_fields:
        m2m_model = history_model.__dict__[m2m_field.name].model
        target = get_m2m_reverse_field_name(m2m_field)
        held: dict[int, list[int]] = defaultdict(list)
        rows = m2m_model.objects.filter(history_id__in=record_ids).values_list("history_id", f"{target}_id")
        for history_id, target_id in rows:
            held[history_id].append(target_id)
        result[m2m_field.name] = {record_id: tuple(sorted(held.get(record_id, ()))) for record_id in record_ids}
    return result


def _merge(older: list[FieldChange], newer: list[FieldChange]) -> list[FieldChange]:
    """One change per field across records: the value before the first and after the last."""
    merged: dict[str, FieldChange] = {change.field: change for change in older}
    for change in newer:
        first = merged.get(change.field)
        merged[change.field] = FieldChange(change.field, first.old if first else change.old, change.new)
    return [change for change in merged.values() if change.old != change.new]


def history_for(instance: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    """The latest `limit` changes of `instance`, newest first, each with its field changes as display strings."""
    model = type(instance)
    history_model = instance.history.model
    # One record more than shown, so the oldest shown change can be compared with its predecessor.
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    if not records:
        return []
    tracked = [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.editable and model_field.name not in HIDDEN_FIELDS
    ]
    m2m_fields = list(getattr(history_model, "_history_m2m_fields", []))
    m2m = _m2m_rows(history_model, m2m_fields, [record.history_id for record in records])

    # Every related id mentioned anywhere, fetched with one query per related model.
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for record in records:
        for model_field in tracked:
            if isinstance(model_field, models.ForeignKey):
                value = getattr(record, model_field.attname)
                if value is not None:
                    wanted[model_field.related_model].add(value)
    for m2m_field in m2m_fields:
        for ids in m2m[m2m_field.name].values():
            wanted[m2m_field.related_model].update(ids)
    related = {related_model: related_model._base_manager.in_bulk(ids) for related_model, ids in wanted.items()}

    def names(related_model, ids) -> str:
        objects = related.get(related_model, {})
        return ", ".join(str(objects[pk]) if pk in objects else f"#{pk}" for pk in ids) or "—"

    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        kind = KINDS.get(record.history_type, "changed")
        entry = HistoryEntry(
            when=record.history_date, who=_author(record), kind=kind, reason=record.history_change_reason or ""
        )
        if previous is not None and kind == "changed":
            for model_field in tracked:
                old, new = getattr(previous, model_field.attname), getattr(record, model_field.attname)
                if old != new:
                    entry.changes.append(
                        FieldChange(
                            str(model_field.verbose_name).capitalize(),
                            _display(model_field, old, related),
                            _display(model_field, new, related),
                        )
                    )
            for m2m_field in m2m_fields:
                old_ids = m2m[m2m_field.name][previous.history_id]
                new_ids = m2m[m2m_field.name][record.history_id]
                if old_ids != new_ids:
                    entry.changes.append(
                        FieldChange(
                            str(m2m_field.verbose_name).capitalize(),
                            names(m2m_field.related_model, old_ids),
                            names(m2m_field.related_model, new_ids),
                        )
                    )
            if not entry.changes:
                # A save that changed nothing a reader cares about (only the version, or an m2m echo).
                continue
        newer = entries[-1] if entries else None
        if newer and newer.who == entry.who and newer.kind == "changed" and newer.when - entry.when < SAME_EDIT:
            # One form save writes a record for the fields and one for each many-to-many field: show one edit.
            if entry.kind == "created":
                entries[-1] = entry
            else:
                newer.changes = _merge(entry.changes, newer.changes)
            continue
        entries.append(entry)
    return entries
