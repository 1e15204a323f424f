"""View-level checks built on core.access: outside the view scope → 404, visible but read-only → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models

from core.access import Action, allowed_in, can


def require_change(user, obj: models.Model) -> None:
    """Refuse (403) a user who may see `obj` but not change it."""
    if not can(user, Action.CHANGE, obj):
        raise PermissionDenied


def may_change_in(user, model: type[models.Model], organisation_id: int) -> bool:
    """Whether `user` may create rows of `model` in the organisation (its own change rule decides)."""
    return allowed_in(user, Action.CHANGE, model, organisation_id)


def may_view_in(user, model: type[models.Model], organisation_id: int) -> bool:
    return allowed_in(user, Action.VIEW, model, organisation_id)


def require_change_in(user, model: type[models.Model], organisation_id: int) -> None:
    if not may_change_in(user, model, organisation_id):
        raise PermissionDenied
