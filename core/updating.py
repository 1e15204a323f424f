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

from django.db import models, router, transaction

from core.concurrency import save_locked_if_unchanged

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
    - What changed is decided against the stored row, not the instance: a ModelForm bound to the instance has
      already written its cleaned data onto it by the time the service runs. Only the changed columns (with those
      Django stamps itself, `auto_now`) are written.
    - Without `expected_version`, nothing is written when no field changed.
    - With `expected_version` the object is optimistic-locked and the save always happens, as
      `core.concurrency.save_if_unchanged` does it: the row locked and its version read (with the listed columns,
      in the same query), the save refused with ConcurrentEditError when someone saved after `expected_version`
      was read — even when this edit changes nothing — and the version moved on. A caller that already holds the
      row's lock, and read the instance and its version in that query, passes the version as `locked_version`
      (`core.concurrency.save_locked_if_unchanged`); the instance is then the stored row.
    """
    model = type(instance)
    editable = {name: _editable_field(model, name) for name in fields}
    values = {name: data[name] for name in editable if name in data}

    def differs(stored: Mapping[str, Any]) -> list[str]:
        return [
            name
            for name, value in values.items()
            if stored[editable[name].attname] != _stored_value(editable[name], value)
        ]

    as_held = differs({field.attname: getattr(instance, field.attname) for field in editable.values()})
    for name, value in values.items():
        setattr(instance, name, value)
    if user is not None:
        instance._history_user = user
    adding = instance._state.adding
    versioned = not isinstance(expected_version, _Unset)

    def cleaned() -> None:
        if clean:
            instance.full_clean(exclude=list(clean_exclude))

    if adding:
        cleaned()
        instance.save()
        return instance, True
    stamped = [field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]
    attnames = [field.attname for field in editable.values() if field.name in values]

    def columns(changed: list[str]) -> list[str]:
        return [*changed, *(name for name in stamped if name not in changed)]

    if not versioned:
        stored = model._base_manager.filter(pk=instance.pk).values(*attnames).first() if values else None
        changed = differs(stored) if stored is not None else list(values)
        if changed:
            cleaned()
            instance.save(update_fields=columns(changed))
        return instance, bool(changed)
    cleaned()  # before the row's lock is taken, as the services always did
    if not isinstance(locked_version, _Unset):
        save_locked_if_unchanged(
            instance, current=locked_version, expected_version=expected_version, fields=columns(as_held)
        )
        return instance, bool(as_held)
    with transaction.atomic(using=router.db_for_write(model)):
        locked = model._base_manager.select_for_update().filter(pk=instance.pk).values("version", *attnames).first()
        changed = differs(locked) if locked is not None else []
        current = locked["version"] if locked is not None else None
        save_locked_if_unchanged(instance, current=current, expected_version=expected_version, fields=columns(changed))
    return instance, bool(changed)
