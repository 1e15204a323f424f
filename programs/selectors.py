"""Reads of organisations and programs, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.access import Action
from programs.choices import DecisionKind
from programs.models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Meeting,
    MemberVote,
    Organisation,
    Program,
    ProgramRevision,
    ProgramSection,
    ProgramStatusChange,
    Unit,
)


def organisation_list(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.restrict(user).select_related("parent").order_by("name")


def program_list(*, user) -> QuerySet[Program]:
    return (
        Program.objects.restrict(user)
        .select_related("organisation", "risk_matrix")
        .annotate(risk_count=Count("risks", distinct=True), section_count=Count("measure_sections", distinct=True))
        .order_by("organisation__name", "-start_year")
    )


def program_get(*, user, pk: int, action: Action = Action.VIEW) -> Program:
    """The program, or 404 when it is outside the user's scope."""
    queryset = (
        Program.objects.restrict(user, action)
        .select_related("organisation", "risk_matrix")
        .prefetch_related(Prefetch("sections", queryset=ProgramSection.objects.order_by("position")))
    )
    return get_object_or_404(queryset, pk=pk)


def program_abbreviations(*, program: Program) -> list[Unit]:
    """«Перелік скорочень»: the units the program's measures and risks name, sorted by abbreviation."""
    return list(
        Unit.objects.filter(Q(measures__task__section__program=program) | Q(owned_risks__program=program))
        .distinct()
        .order_by("abbreviation", "name")
    )


def program_status_changes(*, program: Program) -> QuerySet[ProgramStatusChange]:
    return program.status_changes.select_related("changed_by").order_by("-changed_at", "-pk")


def program_revisions(*, program: Program) -> QuerySet[ProgramRevision]:
    return program.revisions.select_related("created_by").order_by("-number")


def revision_get(*, user, pk: int, action: Action = Action.VIEW) -> ProgramRevision:
    queryset = ProgramRevision.objects.restrict(user, action).select_related(
        "program__organisation", "program__risk_matrix", "created_by"
    )
    return get_object_or_404(queryset, pk=pk)


def revision_meetings(*, revision: ProgramRevision) -> list[AgendaItem]:
    """The agenda items (with their meetings) where the commission decided on `revision`, earliest first."""
    return list(
        revision.decisions.filter(decision_kind=DecisionKind.APPROVE_REVISION)
        .select_related("meeting")
        .order_by("meeting__held_on", "meeting__number")
    )


def organisation_get(*, user, pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.restrict(user).select_related("parent"), pk=pk)


def organisation_units(*, organisation: Organisation) -> list[Unit]:
    """Units in tree order: each parent followed by its own units, indented by `depth`."""
    units = list(organisation.units.select_related("parent").order_by("abbreviation"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            unit.depth = depth
            ordered.append(unit)
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def organisation_children(*, user, organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.restrict(user).filter(parent=organisation).order_by("kind", "name")


def commission_members(*, commission: Commission) -> QuerySet[CommissionMember]:
    return commission.members.select_related("user").order_by("until", "role", "full_name")


def meeting_list(*, user, commission: Commission) -> QuerySet[Meeting]:
    return (
        Meeting.objects.restrict(user)
        .filter(commission=commission)
        .annotate(attendee_count=Count("attendees", distinct=True), item_count=Count("items", distinct=True))
        .order_by("-held_on", "-number")
    )


def meeting_get(*, user, pk: int, action: Action = Action.VIEW) -> Meeting:
    queryset = Meeting.objects.restrict(user, action).select_related("commission__organisation")
    return get_object_or_404(queryset, pk=pk)


def meeting_items(*, meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.items.select_related("period__program", "revision__program")
        .prefetch_related(Prefetch("votes", queryset=MemberVote.objects.select_related("member")))
        .order_by("position")
    )
