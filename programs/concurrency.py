"""Optimistic locking: two people editing one object — the second save is refused, never a silent overwrite."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _


class ConcurrentEditError(ValidationError):
    """Someone saved the object after the current user opened it."""


@transaction.atomic
def save_if_unchanged(instance: models.Model, *, expected_version: int) -> models.Model:
    """Save `instance` only if its stored `version` is still `expected_version`, then bump the version.

    The row is locked while comparing, so two concurrent saves cannot both pass. A normal `save()` is used so
    that history (django-simple-history) records the change with its author.
    """
    model = type(instance)
    current = model._base_manager.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).first()
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
    instance.save()
    return instance
