"""Optimistic locking: two people editing one object — the second save is refused, never a silent overwrite."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record


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
    audit_record(AuditAction.DELETED, actor=user, organisation=organisation, target=deleted, label=label or None)
