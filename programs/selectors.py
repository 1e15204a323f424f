"""Reads of organisations and programs, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .access import Action
from .models import Organisation, Program, ProgramSection


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
