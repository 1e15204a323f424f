"""Optimistic locking: two people editing one object — the second save is refused, never a silent overwrite."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from core.signals import record_deleted


class ConcurrentEditError(ValidationError):
    """Someone saved the object after the current user opened it."""


@transaction.atomic
def save_if_unchanged(
    instance: models.Model, *, expected_version: int | None, fields: Iterable[str] | None = None
) -> models.Model:
    """Save `instance` only if its stored `version` is still `expected_version`, then bump the version.

    The row is locked while comparing, so two concurrent saves cannot both pass. A normal `save()` is used so
    that history (django-simple-history) records the change with its author. With `fields`, only those columns
    (and the version) are written: for a record whose other columns other actions change meanwhile. A missing
    version (None) is refused like a stale one: an edit form or a client that does not say what it read cannot
    know what it overwrites.
    """
    model = type(instance)
    current = model._base_manager.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).first()
    return save_locked_if_unchanged(instance, current=current, expected_version=expected_version, fields=fields)


def save_locked_if_unchanged(
    instance: models.Model, *, current: int | None, expected_version: int | None, fields: Iterable[str] | None = None
) -> models.Model:
    """`save_if_unchanged` for a caller that already holds the row's lock and read its stored version `current`
    (None: the row is gone) in the same query: a hot path saves the second round trip."""
    if current is None:
        raise ValidationError(_("This record no longer exists."))
    if current != expected_version:
        raise ConcurrentEditError(
            _(
                "Someone else saved this record after you opened it. Your changes were not saved: copy them, "
                "reload the page to see the latest version and apply them again."
            )
        )
    instance.version = current + 1
    instance.save(update_fields=[*fields, "version"] if fields is not None else None)
    return instance


def get_for_share(model: type[models.Model], pk: int) -> models.Model:
    """The row `pk` read afresh and locked in SHARE mode until the transaction ends (DoesNotExist if gone).

    Django only takes exclusive row locks (`select_for_update`). A shared lock lets any number of writers that
    depend on the row's state (saves of entries in an open period) proceed side by side, while a writer that changes
    the row (approving the period takes `select_for_update`) waits for them all, and they wait for it. SQLite has
    no row locks (a write locks the whole file), so there the row is simply read.
    """
    database = router.db_for_write(model)
    lock = " FOR SHARE" if connections[database].vendor == "postgresql" else ""
    table, column = model._meta.db_table, model._meta.pk.column
    quote = connections[database].ops.quote_name
    rows = list(
        model._base_manager.db_manager(database).raw(
            f"SELECT * FROM {quote(table)} WHERE {quote(column)} = %s{lock}", [pk]
        )
    )
    if not rows:
        raise model.DoesNotExist(f"{model.__name__} {pk} does not exist.")
    return rows[0]


# The columns django-simple-history fills itself on a history row; every other column copies the saved row.
HISTORY_COLUMNS = frozenset({"history_id", "history_date", "history_change_reason", "history_type", "history_user"})


def _history_user_id() -> int | None:
    """Whom django-simple-history names on a history row written now: the signed-in user of the request under way
    (its middleware keeps the request), else nobody — as for a `save()`."""
    user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def update_if_unchanged_in_one_statement(
    model: type[models.Model],
    *,
    match: Mapping[str, object],
    values: Mapping[str, object],
    expected_version: int | None,
    shared: models.Model,
    shared_unchanged: Iterable[str],
) -> models.Model | None:
    """What `get_for_share` + `select_for_update` + `save_locked_if_unchanged` do for an existing row, in a single
    statement that commits on its own (PostgreSQL): no transaction to open and close, no second round trip.

    Takes the row of `shared` in SHARE mode provided its fields `shared_unchanged` still hold the values the caller
    read and checked its rules on, then updates the row of `model` that `match` (field names) finds if its version is
    still `expected_version` — `values` (field names), the version + 1 — and writes its history row as
    django-simple-history would. Answers the saved row; None when nothing was written — the row missing or stale, the
    shared row changed, another database, a history table this does not know — so that the caller's checked path,
    which says why, decides. Locks are taken in the same order as that path, the shared row first.
    """
    database = router.db_for_write(model)
    connection = connections[database]
    history_manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if connection.vendor != "postgresql" or expected_version is None or history_manager is None:
        return None
    history_model = getattr(model, history_manager).model
    copied = [field for field in history_model._meta.concrete_fields if field.name not in HISTORY_COLUMNS]
    tracked = {field.name for field in history_model.tracked_fields}
    if {field.name for field in copied} - tracked or not isinstance(history_model._meta.pk, AutoFieldMixin):
        return None
    quote = connection.ops.quote_name
    now = timezone.now()

    def column(owner: type[models.Model], name: str, value: object) -> tuple[str, object]:
        field = owner._meta.get_field(name)
        return quote(field.column), field.get_db_prep_save(value, connection)

    shared_model, concrete = type(shared), model._meta.concrete_fields
    stamped = {field.name: now for field in concrete if getattr(field, "auto_now", False)}  # as `save()` does
    guard = [column(shared_model, name, getattr(shared, name)) for name in shared_unchanged]
    assignments = [column(model, name, value) for name, value in {**values, **stamped}.items()]
    matches = [column(model, name, value) for name, value in match.items()]
    version = quote(model._meta.get_field("version").column)
    history_targets = [quote(field.column) for field in copied] + [
        quote(name) for name in ("history_date", "history_change_reason", "history_type", "history_user_id")
    ]
    history_sources = [f"saved.{quote(model._meta.get_field(field.name).column)}" for field in copied]
    history_sources += ["%s", "NULL", "'~'", "%s"]
    sql = (
        f"WITH shared AS (SELECT 1 FROM {quote(shared_model._meta.db_table)} "
        f"WHERE {quote(shared_model._meta.pk.column)} = %s"
        f"{''.join(f' AND {name} IS NOT DISTINCT FROM %s' for name, _value in guard)} FOR SHARE), "
        f"saved AS (UPDATE {quote(model._meta.db_table)} "
        f"SET {', '.join(f'{name} = %s' for name, _value in assignments)}, {version} = {version} + 1 "
        f"WHERE {' AND '.join(f'{name} = %s' for name, _value in matches)} AND {version} = %s "
        f"AND EXISTS (SELECT 1 FROM shared) RETURNING {', '.join(quote(field.column) for field in concrete)}), "
        f"history AS (INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(history_targets)}) "
        f"SELECT {', '.join(history_sources)} FROM saved) "
        "SELECT * FROM saved"
    )
    params = [
        shared.pk,
        *(value for _name, value in guard),
        *(value for _name, value in assignments),
        *(value for _name, value in matches),
        expected_version,
        now,
        _history_user_id(),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else model.from_db(database, [field.attname for field in concrete], row)


@transaction.atomic
def delete_unless_refused(
    instance: models.Model, *, user, check: Callable[[], None], organisation=None, label: str = ""
) -> None:
    """Delete `instance` as `user` (its history names them) unless `check` raises the ValidationError of a rule; the
    deletion goes to the audit trail under `organisation`, named by `label`.

    The row is locked before the check: a reference added meanwhile (a report on a measure, a measure treating a
    risk) waits for the lock and then fails, instead of slipping in between the check and the delete.
    """
    model = type(instance)
    if model._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk", flat=True).first() is None:
        raise ValidationError(_("This record no longer exists."))
    check()
    deleted = copy.copy(instance)  # keeps the id, which `delete` clears, for the audit trail
    instance._history_user = user
    instance.delete()
    # Last, so the audit trail's lock is the last one this transaction takes (see audit.services).
    record_deleted.send(sender=model, instance=deleted, user=user, organisation=organisation, label=label)
