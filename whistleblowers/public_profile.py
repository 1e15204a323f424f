"""What the public report form shows of a body, kept a short while in each web process.

The empty form is the page of the whistleblower channel that is opened most (and the one a flood hits): with the
body's name and its deadlines held here, its GET reads neither the database nor the shared cache. The copy lives in
the process-local "public" cache for PUBLIC_PROFILE_SECONDS, so a renamed body or changed case rules reach the form
within that time; a body that does not exist is never remembered, so a new one has its form at once. Everything a
report is made of (the POST, the receipt, the follow-up) still reads the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import caches

from programs.models import Organisation
from whistleblowers.models import CaseRules

PUBLIC_PROFILE_SECONDS = 60


@dataclass(frozen=True)
class PublicOrganisation:
    name: str
    short_name: str


@dataclass(frozen=True)
class PublicDeadlines:
    """The deadlines the form promises, as CaseRules holds them (its defaults when the body has no rules of its own)."""

    preliminary_review_working_days: int
    verification_days: int
    verification_extended_days: int
    result_notice_days: int


@dataclass(frozen=True)
class PublicProfile:
    """Its text form (the dataclass repr, every string quoted) names it exactly: the form's template caches the part
    rendered from it under that text, so two bodies, or a body before and after a change, never share a fragment."""

    organisation: PublicOrganisation
    rules: PublicDeadlines


def profile_of(organisation: Organisation, rules: CaseRules) -> PublicProfile:
    """The profile of a body and rules already read (a form sent back with errors)."""
    return PublicProfile(
        organisation=PublicOrganisation(name=organisation.name, short_name=organisation.short_name),
        rules=PublicDeadlines(**{name: getattr(rules, name) for name in PublicDeadlines.__dataclass_fields__}),
    )


def _profile_from_database(short_name: str) -> PublicProfile | None:
    deadlines = tuple(PublicDeadlines.__dataclass_fields__)
    row = (
        Organisation.objects.filter(short_name=short_name)
        .values("name", "short_name", *(f"case_rules__{name}" for name in deadlines))
        .first()
    )
    if row is None:
        return None
    rules = {name: row[f"case_rules__{name}"] for name in deadlines}
    if rules[deadlines[0]] is None:  # no rules of its own (the fields are never NULL): the model's defaults
        defaults = CaseRules()
        rules = {name: getattr(defaults, name) for name in deadlines}
    return PublicProfile(
        organisation=PublicOrganisation(name=row["name"], short_name=row["short_name"]),
        rules=PublicDeadlines(**rules),
    )


def public_profile(*, short_name: str) -> PublicProfile | None:
    """The body's name and deadlines for its public form, or None when no body has this short name."""
    if "\x00" in short_name:  # PostgreSQL refuses the character in a query; no organisation is named with it
        return None
    store = caches["public"]
    # Hashed: a short name may hold spaces and up to 50 letters of any alphabet, which cache keys should not.
    key = "wb-profile:" + hashlib.sha256(short_name.encode()).hexdigest()
    profile = store.get(key)
    if profile is None:
        profile = _profile_from_database(short_name)
        if profile is not None:
            store.set(key, profile, PUBLIC_PROFILE_SECONDS)
    return profile
