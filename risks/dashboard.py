"""The risk loop on the dashboard: residual against inherent risk over time, and signals from cases per function.

Kept apart from reports/dashboard.py (the execution numbers) so each can change without the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from programs.models import Program

from .case_signals import SignalCount, SignalWindow, reads_exact_counts, signals_by_function
from .models import MatrixCell, ResidualAssessment, Risk


@dataclass(frozen=True)
class RiskPoint:
    """The register as it stood after the commission's residual decisions on one evaluated period."""

    label: str
    risks: int
    scored: int
    mean_inherent: float | None
    mean_residual: float | None
    high_inherent: int
    high_residual: int


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def residual_over_time(*, program: Program) -> list[RiskPoint]:
    """One point per period the commission settled residual scores on, oldest first; each risk counts with its latest
    decision up to that period (a risk not yet settled counts on the inherent side only). Three queries."""
    cells = {
        (cell.probability_id, cell.consequence_id): cell.level.code
        for cell in MatrixCell.objects.filter(matrix=program.risk_matrix_id).select_related("level")
    }
    top = max(
        MatrixCell.objects.filter(matrix=program.risk_matrix_id).values_list("level__rank", "level__code"),
        default=(0, None),
    )[1]
    risks = list(Risk.objects.filter(program=program).select_related("inherent_probability", "inherent_consequence"))
    decisions = list(
        ResidualAssessment.objects.filter(risk__program=program, period__isnull=False)
        .select_related("period", "inherent_probability", "inherent_consequence", "probability", "consequence")
        .order_by("decided_at", "pk")
    )
    periods = sorted({item.period for item in decisions}, key=lambda period: (period.ends_on, period.pk))
    points = []
    for period in periods:
        latest: dict[int, ResidualAssessment] = {}
        for item in decisions:
            if item.period.ends_on <= period.ends_on:
                latest[item.risk_id] = item  # ordered by decision time: the last one stands
        inherent, residual, high_inherent, high_residual = [], [], 0, 0
        for risk in risks:
            decided = latest.get(risk.pk)
            p, c = (
                (decided.inherent_probability, decided.inherent_consequence)
                if decided
                else (risk.inherent_probability, risk.inherent_consequence)
            )
            inherent.append(p.score * c.score)
            high_inherent += cells.get((p.pk, c.pk)) == top
            if decided:
                residual.append(decided.probability.score * decided.consequence.score)
                high_residual += cells.get((decided.probability_id, decided.consequence_id)) == top
        points.append(
            RiskPoint(
                label=str(period),
                risks=len(risks),
                scored=len(residual),
                mean_inherent=_mean(inherent),
                mean_residual=_mean(residual),
                high_inherent=high_inherent,
                high_residual=high_residual,
            )
        )
    return points


def signals_per_function(*, user, program: Program) -> tuple[SignalWindow, list[tuple[str, str, SignalCount]]]:
    """Cases per function over the last twelve months, masked below the threshold for everyone but the officer."""
    window = SignalWindow.default()
    exact = reads_exact_counts(user, program.organisation_id)
    return window, signals_by_function(organisation_id=program.organisation_id, window=window, exact=exact)
