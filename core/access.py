"""The one permission mechanism of the portal.

It knows no domain: the bodies roles are held in are `settings.ACCESS_ORGANISATION_MODEL` (a model with a `parent`
and `memberships` having `user`, `role` and `unit`), the roles are `core.roles.Role`.

Every scoped model declares an `AccessRule`: the lookup path from the model to its organisation, which roles may
view or change it and, for unit reporters, the lookup path to the responsible units. Every HTML view and every API
endpoint obtains its objects through `ScopedQuerySet.restrict(user, action)`, so an object outside the user's scope
is simply not found (404) and no endpoint can forget the check.

A role held in an organisation extends to all its descendants for reading: a parent body sees its territorial bodies
and subordinate enterprises. Changing needs the role in the organisation itself. Whistleblower records are the
exception (`read_down=False`): a report belongs to the body it was sent to, so a parent body's officer reads it only
once it has been forwarded to the parent (`shared_with`), and sees the child's reports only as counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import FilteredRelation, Q

from core.roles import Role

STAFF_ROLES = frozenset(Role.values)
PROGRAM_READERS = frozenset({Role.SECRETARY, Role.COMMISSION, Role.MANAGER, Role.ADMIN, Role.OFFICER})
PROGRAM_EDITORS = frozenset({Role.SECRETARY, Role.ADMIN})


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"


@dataclass(frozen=True)
class AccessRule:
    """Who may see and change the rows of one model."""

    organisation: str
    view: frozenset[str]
    change: frozenset[str]
    # Lookup to the units a unit reporter answers for; reporters see only rows of their units.
    reporter_units: str | None = None
    # Whistleblower content stays with the anti-corruption officer even for a platform superuser.
    superuser_bypass: bool = True
    # Rows matching `confidential` (a Q) are reachable only by `confidential_roles`, e.g. generated journals of
    # whistleblower reports among the other generated reports.
    confidential: Q | None = None
    confidential_roles: frozenset[str] = frozenset()
    # Whether a role held in a parent body reads this model's rows in its descendants. Confidential rows never are.
    read_down: bool = True
    # Lookup to organisations a row was forwarded to (recorded): their holders of a view role may read it too.
    shared_with: str | None = None

    def roles_for(self, action: Action) -> frozenset[str]:
        return self.view if action == Action.VIEW else self.change


@dataclass
class Scope:
    """Organisations (with their descendants) where a user holds each role, and the units they report for."""

    organisations_by_role: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # Where the role is held itself: a parent body reads its children's data but changes only its own.
    own_organisations_by_role: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    reporter_units: set[int] = field(default_factory=set)

    def organisations(self, roles: Iterable[str], *, descendants: bool = True) -> set[int]:
        table = self.organisations_by_role if descendants else self.own_organisations_by_role
        found: set[int] = set()
        for role in roles:
            found |= table.get(role, set())
        return found

    def has_role(self, role: str, organisation_id: int | None = None, *, descendants: bool = False) -> bool:
        """Whether the role is held in the organisation itself (to act there) or, with `descendants`, above it too
        (to read there)."""
        table = self.organisations_by_role if descendants else self.own_organisations_by_role
        ids = table.get(role, set())
        return bool(ids) if organisation_id is None else organisation_id in ids

    @property
    def roles(self) -> set[str]:
        return {role for role, ids in self.organisations_by_role.items() if ids}


def descendants_map(pairs: Iterable[tuple[int, int | None]]) -> dict[int, set[int]]:
    """Map each organisation id to itself and every organisation below it."""
    children: dict[int | None, list[int]] = defaultdict(list)
    ids = []
    for org_id, parent_id in pairs:
        children[parent_id].append(org_id)
        ids.append(org_id)
    result: dict[int, set[int]] = {}
    for org_id in ids:
        seen = {org_id}
        stack = [org_id]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        result[org_id] = seen
    return result


def organisation_model() -> type[models.Model]:
    """The model of the bodies roles are held in (`settings.ACCESS_ORGANISATION_MODEL`), for apps below the one
    that defines it: they follow its `memberships` instead of importing the membership model."""
    return apps.get_model(settings.ACCESS_ORGANISATION_MODEL)


def user_scope(user) -> Scope:
    """The user's scope, computed once per user object (that is, once per request), in one query."""
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    Organisation = organisation_model()

    scope = Scope()
    if user.is_authenticated and user.is_active:
        # Every organisation (for the tree) with the user's memberships there joined on: one row per organisation,
        # or one per membership where the user holds several roles in it.
        rows = (
            Organisation.objects.annotate(held=FilteredRelation("memberships", condition=Q(memberships__user=user)))
            .values_list("id", "parent_id", "held__role", "held__unit_id")
            .order_by()
        )
        parents, memberships = {}, []
        for organisation_id, parent_id, role, unit_id in rows:
            parents[organisation_id] = parent_id
            if role is not None:
                memberships.append((organisation_id, role, unit_id))
        if memberships:
            below = descendants_map(parents.items())
            for organisation_id, role, unit_id in memberships:
                scope.organisations_by_role[role] |= below.get(organisation_id, {organisation_id})
                scope.own_organisations_by_role[role].add(organisation_id)
                if role == Role.REPORTER and unit_id:
                    scope.reporter_units.add(unit_id)
    user._portal_scope = scope
    return scope


def whole_organisations(scope: Scope, rule: AccessRule, action: Action) -> set[int]:
    """The organisations where `scope` reaches every row of `rule`'s model for `action`: through a role other than a
    unit reporter's (who reaches the rows of their own units only)."""
    descendants = action == Action.VIEW and rule.read_down
    return scope.organisations(rule.roles_for(action) - {Role.REPORTER}, descendants=descendants)


def sees_every_row(user, action: Action | str, model: type[models.Model], organisation_id: int) -> bool:
    """Whether `restrict` lets `user` reach every row of `model` in the organisation: a query already narrowed to that
    organisation's rows (a program's measures) then needs no repetition of the rule. False for a model with
    confidential rows, which the rule may hide inside an organisation it otherwise opens."""
    rule: AccessRule = model.access
    action = Action(action)
    if not (user and user.is_authenticated and user.is_active) or rule.confidential is not None:
        return False
    if user.is_superuser and rule.superuser_bypass:
        return True
    return organisation_id in whole_organisations(user_scope(user), rule, action)


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: Action | str = Action.VIEW) -> ScopedQuerySet:
        """Only the rows `user` may reach for `action`; nothing for anonymous or inactive users."""
        rule: AccessRule = self.model.access
        action = Action(action)
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser and rule.superuser_bypass:
            return self if rule.confidential is None else self.exclude(rule.confidential)
        scope = user_scope(user)
        roles = rule.roles_for(action)
        org_lookup = f"{rule.organisation}__in" if rule.organisation else "pk__in"
        condition = Q()
        descendants = action == Action.VIEW and rule.read_down
        whole_orgs = whole_organisations(scope, rule, action)
        if whole_orgs:
            condition |= Q(**{org_lookup: whole_orgs})
        if rule.shared_with and action == Action.VIEW:
            recipients = scope.organisations(roles - {Role.REPORTER}, descendants=False)
            if recipients:
                # A subquery: a row forwarded twice must not come back twice.
                shared = self.model._base_manager.filter(**{f"{rule.shared_with}__in": recipients}).values("pk")
                condition |= Q(pk__in=shared)

        if Role.REPORTER in roles and scope.reporter_units:
            reporter_orgs = scope.organisations({Role.REPORTER}, descendants=descendants)
            if rule.reporter_units:
                # A subquery keeps the result free of duplicates that a join through a many-to-many would add.
                own_units = self.model._base_manager.filter(
                    **{f"{rule.reporter_units}__in": scope.reporter_units}
                ).values("pk")
                condition |= Q(**{org_lookup: reporter_orgs}) & Q(pk__in=own_units)
            else:
                condition |= Q(**{org_lookup: reporter_orgs})
        if not condition:
            return self.none()
        if rule.confidential is not None:
            # Confidential rows: only within the organisations where the user holds a confidential role itself — a
            # parent body's officer does not read its children's whistleblower journals.
            trusted = scope.organisations(roles & rule.confidential_roles, descendants=False)
            condition &= ~rule.confidential | Q(**{org_lookup: trusted})
        return self.filter(condition)


def can(user, action: Action | str, obj: models.Model) -> bool:
    """Whether `user` may perform `action` on `obj` — the same rule as `restrict`, for a single object."""
    return type(obj)._default_manager.all().restrict(user, action).filter(pk=obj.pk).exists()


def allowed_in(user, action: Action | str, model: type[models.Model], organisation_id: int) -> bool:
    """Whether `model`'s rule lets `user` perform `action` in the organisation — what `restrict` would allow, for
    pages that decide what to offer (a create button, a section) before any row is at hand."""
    rule: AccessRule = model.access
    action = Action(action)
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser and rule.superuser_bypass:
        return True
    descendants = action == Action.VIEW and rule.read_down
    return organisation_id in user_scope(user).organisations(rule.roles_for(action), descendants=descendants)


def user_organisation_ids(user, roles: Iterable[str] = STAFF_ROLES) -> set[int]:
    return user_scope(user).organisations(roles)
