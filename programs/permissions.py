"""View-level checks built on core.access: outside the view scope → 404, visible but read-only → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models

from core.access import Action, allowed_in, user_scope
from core.roles import Role
from programs.models import Membership, Organisation


def organisations_for_change(user, model: type[models.Model]):
    """Organisations where `user` may create rows of `model` (for a choice field)."""
    queryset = Organisation.objects.order_by("name")
    if user.is_superuser:
        return queryset
    return queryset.filter(pk__in=user_scope(user).organisations(model.access.change, descendants=False))


def may_manage_people(user, organisation_id: int) -> bool:
    """Invite, give and take roles, deactivate: an administrator of the organisation itself (not of its parent)."""
    return allowed_in(user, Action.CHANGE, Membership, organisation_id)


def require_manage_people(user, organisation_id: int) -> None:
    if not may_manage_people(user, organisation_id):
        raise PermissionDenied


def may_add_child_organisation(user, organisation_id: int) -> bool:
    """A parent body's administrator adds its territorial bodies and enterprises."""
    return user.is_superuser or user_scope(user).has_role(Role.ADMIN, organisation_id)


def may_deactivate_account(actor, person, organisation_id: int) -> bool:
    """An account is one person's key to every body they work in: an administrator closes it only when they
    administer each of those bodies (a superuser always); otherwise they take away the roles held in their own."""
    if not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    elsewhere = (
        Membership.objects.filter(user=person)
        .exclude(organisation=organisation_id)
        .exclude(organisation__in=Membership.objects.filter(user=actor, role=Role.ADMIN).values("organisation"))
    )
    return not elsewhere.exists()


SECOND_FACTOR_ROLES = frozenset({Role.OFFICER, Role.ADMIN})


def must_use_second_factor(user) -> bool:
    """Officers read whistleblowers' identities, administrators give roles, staff reach the Django admin: their
    password alone must not open the portal. Others may turn the second factor on for themselves."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # The scope is computed once per request for the menu and the scoping anyway: no query of its own.
    return bool(user_scope(user).roles & SECOND_FACTOR_ROLES)
