"""Reads of the risk register, scoped to the user, with levels computed from the program's matrix."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.access import Action
from core.permissions import may_change_in, may_view_in
from programs.models import Program
from programs.selectors import program_get
from risks.models import ConsequenceLevel, MatrixCell, ProbabilityLevel, ReassessmentRound, Risk, RiskLevel


def program_for(*, user, pk: int, model, action: Action = Action.VIEW) -> Program:
    """The program whose `model` rows the user wants to reach for `action`.

    Outside the user's scope — or a kind of row the user's roles never see — is a 404; a role that may read but not
    change is a 403, so a commission member who follows an edit link learns why instead of seeing "not found".
    """
    program = program_get(user=user, pk=pk)
    if not may_view_in(user, model, program.organisation_id):
        raise Http404
    if action == Action.CHANGE and not may_change_in(user, model, program.organisation_id):
        raise PermissionDenied
    return program


def can_change(*, user, program: Program, model) -> bool:
    return may_change_in(user, model, program.organisation_id)


def _measure_count() -> Coalesce:
    # The relation is declared by the measures app, above this one; its through table is reached from Risk.
    through = Risk.measures.through.objects.filter(risk_id=OuterRef("pk")).values("risk_id")
    counted = through.annotate(total=Count("measure_id")).values("total")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def risk_list(*, user, program: Program | None = None) -> QuerySet[Risk]:
    queryset = Risk.objects.restrict(user)
    if program is not None:
        queryset = queryset.filter(program=program)
    return (
        queryset.with_levels()
        .annotate(measure_count=_measure_count())
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


def risk_get(*, user, program: Program, pk: int, action: Action = Action.VIEW) -> Risk:
    queryset = Risk.objects.restrict(user, action).filter(program=program).with_levels()
    queryset = queryset.select_related(
        "program__risk_matrix",
        "owner_unit",
        "inherent_probability",
        "inherent_consequence",
        "residual_probability",
        "residual_consequence",
    )
    return get_object_or_404(queryset, pk=pk)


def reassessment_round_get(*, user, program: Program, pk: int) -> ReassessmentRound:
    """A re-assessment round of `program` the user may read, with what its pages show; any other is a 404."""
    rounds = ReassessmentRound.objects.restrict(user).filter(program=program)
    return get_object_or_404(rounds.select_related("program__risk_matrix", "opened_by", "decided_by"), pk=pk)


def levels_by_id(risks) -> dict[int, RiskLevel]:
    """The levels annotated on `risks`, fetched in one query."""
    ids = {risk.inherent_level_id for risk in risks} | {risk.residual_level_id for risk in risks}
    return RiskLevel.objects.in_bulk([level_id for level_id in ids if level_id])


def attach_levels(risks) -> list[Risk]:
    """Give each risk `inherent` and `residual` RiskLevel objects, in one query whatever the count."""
    risks = list(risks)
    levels = levels_by_id(risks)
    for risk in risks:
        risk.inherent = levels.get(risk.inherent_level_id)
        risk.residual = levels.get(risk.residual_level_id)
    return risks


def risk_list_with_levels(*, user, program: Program | None = None) -> list[Risk]:
    """Risks with `inherent` and `residual` RiskLevel objects attached, in two queries whatever the count."""
    return attach_levels(risk_list(user=user, program=program))


@dataclass
class HeatCell:
    probability: ProbabilityLevel
    consequence: ConsequenceLevel
    level: RiskLevel | None
    count: int = 0
    signals: object = None  # a case_signals.SignalCount when the map overlays signals from whistleblower cases


@dataclass
class HeatMap:
    """One grid of the matrix: rows are probabilities (highest first), columns consequences."""

    kind: str  # "inherent" or "residual"
    consequences: list[ConsequenceLevel]
    rows: list[tuple[ProbabilityLevel, list[HeatCell]]] = field(default_factory=list)
    unscored: int = 0

    @property
    def total(self) -> int:
        return sum(cell.count for _, cells in self.rows for cell in cells)


def risk_heatmaps(*, program: Program, risks: QuerySet[Risk]) -> list[HeatMap]:
    """Inherent and residual grids of `risks` on the program's matrix, in five queries whatever the count."""
    matrix = program.risk_matrix
    probabilities = list(ProbabilityLevel.objects.filter(matrix=matrix).order_by("-score"))
    consequences = list(ConsequenceLevel.objects.filter(matrix=matrix).order_by("score"))
    cells = {
        (cell.probability_id, cell.consequence_id): cell.level
        for cell in MatrixCell.objects.filter(matrix=matrix).select_related("level")
    }
    # Counted on the bare rows: grouping a queryset that carries the level subqueries would group by them too.
    base = Risk.objects.filter(pk__in=risks.values("pk"))
    maps = []
    for kind in ("inherent", "residual"):
        counts = {
            (row[f"{kind}_probability"], row[f"{kind}_consequence"]): row["total"]
            for row in base.order_by().values(f"{kind}_probability", f"{kind}_consequence").annotate(total=Count("pk"))
        }
        heat = HeatMap(kind=kind, consequences=consequences)
        for probability in probabilities:
            heat.rows.append(
                (
                    probability,
                    [
                        HeatCell(
                            probability,
                            consequence,
                            cells.get((probability.pk, consequence.pk)),
                            counts.get((probability.pk, consequence.pk), 0),
                        )
                        for consequence in consequences
                    ],
                )
            )
        heat.unscored = counts.get((None, None), 0)
        maps.append(heat)
    return maps
