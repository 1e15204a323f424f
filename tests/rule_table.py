"""The table the named-rule tests read: every persona of tests/conftest.py, asked one rule, against the personas the
rule lets through. A failing rule shows the whole table, so a changed answer names the persona it changed for."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

PERSONAS = (
    "secretary",
    "reporter",
    "commission",
    "manager",
    "officer",
    "admin_user",
    "outsider",
    "parent_secretary",
    "parent_commission",
    "parent_manager",
    "parent_officer",
    "parent_admin",
    "superuser",
    "anonymous",
)


def answers(request: pytest.FixtureRequest, ask: Callable[[object], bool]) -> dict[str, bool]:
    """What the rule answers each persona; a rule must answer a bool, not merely something truthy."""
    table = {persona: ask(request.getfixturevalue(persona)) for persona in PERSONAS}
    assert all(type(answer) is bool for answer in table.values()), table
    return table


def only(*personas: str) -> dict[str, bool]:
    """The expected table: the named personas are let through, everyone else refused."""
    unknown = set(personas) - set(PERSONAS)
    assert not unknown, unknown
    return {persona: persona in personas for persona in PERSONAS}


def passes(require: Callable[[], None]) -> bool:
    """A `require_…` rule as a yes/no: it returns for those let through and refuses (403 or 404) everyone else."""
    try:
        require()
    except (PermissionDenied, Http404):
        return False
    return True
