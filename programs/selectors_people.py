"""Reads of an organisation's people: each person with their roles there, pending invitations, the history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from programs.models import Invitation, Membership, Organisation, PeopleChange


@dataclass
class Person:
    user: object
    memberships: list[Membership] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email or self.user.get_username()


def people_of(*, organisation: Organisation) -> list[Person]:
    """Everyone holding a role in the organisation, by name, with their memberships: one query however many."""
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "unit")
        .order_by("user__last_name", "user__first_name", "user__email", "user_id", "role")
    )
    people: dict[int, Person] = {}
    for membership in memberships:
        people.setdefault(membership.user_id, Person(membership.user)).memberships.append(membership)
    return list(people.values())


def pending_invitations(*, organisation: Organisation) -> list[Invitation]:
    """Invitations not yet accepted or revoked, each with its roles in words and whether its link has expired."""
    from programs.people import invitation_role_labels

    invitations = list(
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("unit")
        .order_by("email", "-created_at")
    )
    now = timezone.now()
    for invitation in invitations:
        invitation.role_labels = invitation_role_labels(invitation)
        invitation.expired = invitation.expires_at <= now
    return invitations


def people_changes(*, organisation: Organisation, limit: int = 30) -> QuerySet[PeopleChange]:
    return PeopleChange.objects.filter(organisation=organisation).select_related("actor", "person")[:limit]


def person_in(*, organisation: Organisation, user_id: int) -> Person:
    """The person with their roles in the organisation; 404 for anyone without a role there — including someone only
    invited, whose account (if they had one before) the administrator must not learn about."""
    memberships = list(
        Membership.objects.filter(organisation=organisation, user_id=user_id)
        .select_related("user", "unit")
        .order_by("role", "unit__abbreviation")
    )
    if not memberships:
        raise Http404
    return Person(memberships[0].user, memberships)
