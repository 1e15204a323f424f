"""One way for a service to write the editable fields of an object: `model_update`.

In the spirit of HackSoft's Django-Styleguide: the service names the fields it lets a caller change (one tuple per
object, shared with the object's form and serializer) and passes the cleaned data; only those fields, and only the
ones present in the data, are set. What this project adds: an object under optimistic locking is saved through
`core.concurrency` — the stored version compared under the row's lock, refused when stale, moved on — and the
history row names the author the service gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeVar

from django.db import models

from core.concurrency import save_if_unchanged, save_locked_if_unchanged

M = TypeVar("M", bound=models.Model)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


# "Not given": a version of None is meaningful (a client that did not say what it read is refused as stale).
UNSET: Final = _Unset()


def _editable_field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    if not getattr(field, "concrete", False) or field.many_to_many:
        # A list of related rows has its own rules (order, history rows of its own): the service sets it itself.
        raise ValueError(f"{model.__name__}.{name} is not a column model_update can set.")
    return field


def _stored_value(field: models.Field, value: Any) -> Any:
    """What the column holds for `value`: a related object is compared by its key, so that comparing never loads
    the object the instance points to."""
    if field.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    user: Any = None,
    expected_version: int | _Unset | None = UNSET,
    locked_version: int | _Unset | None = UNSET,
    clean: bool = True,
    clean_exclude: Iterable[str] = (),
) -> tuple[M, bool]:
    """Set the `fields` of `instance` that `data` holds, validate and save; answer (instance, has_updated).

    - Names in `fields` missing from `data` are left as they are; names in `data` outside `fields` are ignored.
      Every name must be a column of the model (a many-to-many list is the service's to set).
    - `user`, when given, is the author django-simple-history records.
    - `clean` runs `full_clean(exclude=clean_exclude)` before saving. Services whose database constraints answer
      with a message of their own (a duplicate abbreviation …) pass False and keep catching the IntegrityError.
    - A new instance (never saved) is inserted whole.
    - Without `expected_version`, an existing instance is saved only when a field changed, and only the changed
      columns (with those Django stamps itself, `auto_now`) are written.
    - With `expected_version` the object is optimistic-locked: the save always happens, through
      `core.concurrency.save_if_unchanged` — its stored version read under the row's lock, the save refused with
      ConcurrentEditError when someone saved after `expected_version` was read, the version moved on — so that a
      stale edit is refused even when it changes nothing, as it always was. A caller that already holds the row's
      lock and read its version in that query passes it as `locked_version`
      (`core.concurrency.save_locked_if_unchanged`).
    """
    model = type(instance)
    changed: list[str] = []
    for name in fields:
        field = _editable_field(model, name)
        if name not in data:
            continue
        value = data[name]
        if getattr(instance, field.attname) != _stored_value(field, value):
            setattr(instance, name, value)
            changed.append(name)
    if user is not None:
        instance._history_user = user
    adding = instance._state.adding
    versioned = not isinstance(expected_version, _Unset)
    if not (adding or versioned or changed):
        return instance, False
    if clean:
        instance.full_clean(exclude=list(clean_exclude))
    if adding:
        instance.save()
        return instance, True
    stamped = [field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]
    columns = [*changed, *(name for name in stamped if name not in changed)]
    if not versioned:
        instance.save(update_fields=columns)
    elif isinstance(locked_version, _Unset):
        save_if_unchanged(instance, expected_version=expected_version, fields=columns)
    else:
        save_locked_if_unchanged(instance, current=locked_version, expected_version=expected_version, fields=columns)
    return instance, bool(changed)
