"""Named role rules of the whistleblower channel that are not row scoping (scoping is `core.access`, through
`whistleblowers.access_rules`): who opens the officer's pages, who reads the anonymised numbers."""

from __future__ import annotations

from django.http import Http404

from core.access import user_scope
from core.roles import Role

# Roles that see anonymised whistleblower numbers (the statistics page, the dashboard): they must know the channel
# works, not what it carries.
WHISTLEBLOWER_STATS_ROLES = frozenset({Role.MANAGER, Role.SECRETARY, Role.OFFICER, Role.ADMIN})


def may_open_officer_pages(user) -> bool:
    """The anti-corruption officer (of any body) opens the case register and the inducement journal; which cases
    they then see is the scoping's answer."""
    return Role.OFFICER in user_scope(user).roles


def require_officer(user) -> None:
    """Refuse anyone but an officer with 404: for everyone else the officer's pages do not exist."""
    if not may_open_officer_pages(user):
        raise Http404


def may_read_case_statistics(user) -> bool:
    """Managers, secretaries, officers and administrators (`WHISTLEBLOWER_STATS_ROLES`) read the numbers of cases."""
    return bool(user_scope(user).roles & WHISTLEBLOWER_STATS_ROLES)
