"""The organisation a person works in right now, for people with roles in several bodies.

Kept in the session: the header shows it with a switcher, and pages that list things per organisation open on it.
It only chooses a default — what a person may see is still decided by core.access alone.
"""

from __future__ import annotations

from django.http import HttpRequest

from core.access import user_scope
from programs.models import Organisation

SESSION_KEY = "current_organisation"
NAMES_KEY = "current_organisation_names"


def own_organisation_ids(user) -> list[int]:
    """The organisations where the user holds a role themselves, in a stable order."""
    scope = user_scope(user)
    return sorted(set().union(*scope.own_organisations_by_role.values())) if scope.own_organisations_by_role else []


def current_organisation_id(request: HttpRequest) -> int | None:
    ids = own_organisation_ids(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen in ids:
        return chosen
    return ids[0] if ids else None


def set_current_organisation(request: HttpRequest, organisation_id: int) -> bool:
    if organisation_id not in own_organisation_ids(request.user):
        return False
    request.session[SESSION_KEY] = organisation_id
    return True


def organisation_names(request: HttpRequest, ids: list[int]) -> list[tuple[int, str]]:
    """(id, short name) of `ids`, remembered in the session so that the header costs no query on every page."""
    cached = request.session.get(NAMES_KEY)
    if cached and [pk for pk, _name in cached] == ids:
        return [tuple(pair) for pair in cached]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "short_name"))
    pairs = [(pk, names[pk]) for pk in ids if pk in names]
    request.session[NAMES_KEY] = pairs
    return pairs
