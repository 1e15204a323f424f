"""Reads of the risk register, scoped to the user, with levels computed from the program's matrix."""

from __future__ import annotations

from django.db.models import QuerySet

from programs.models import Program

from .models import Risk, RiskLevel


def risk_list(*, user, program: Program | None = None) -> QuerySet[Risk]:
    queryset = Risk.objects.restrict(user)
    if program is not None:
        queryset = queryset.filter(program=program)
    return (
        queryset.with_levels()
        .select_related(
            "program",
            "owner_unit",
            "inherent_probability",
            "inherent_consequence",
            "residual_probability",
            "residual_consequence",
        )
        .order_by("program", "number")
    )


def levels_by_id(risks) -> dict[int, RiskLevel]:
    """The levels annotated on `risks`, fetched in one query."""
    ids = {risk.inherent_level_id for risk in risks} | {risk.residual_level_id for risk in risks}
    return RiskLevel.objects.in_bulk([level_id for level_id in ids if level_id])


def risk_list_with_levels(*, user, program: Program | None = None) -> list[Risk]:
    """Risks with `inherent` and `residual` RiskLevel objects attached, in two queries whatever the count."""
    risks = list(risk_list(user=user, program=program))
    levels = levels_by_id(risks)
    for risk in risks:
        risk.inherent = levels.get(risk.inherent_level_id)
        risk.residual = levels.get(risk.residual_level_id)
    return risks
