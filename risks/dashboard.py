"""The risk loop on the dashboard: residual against inherent risk over time, and signals from cases per function.

Kept apart from reports/dashboard.py (the execution numbers) so each can change without the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from programs.models import Program
from risks.case_signals import SignalCount, SignalWindow, signals_by_function
from risks.models import MatrixCell, ResidualAssessment, Risk
from risks.permissions import may_read_exact_signal_counts


@dataclass(frozen=True)
class RiskPoint:
    """The register as it stood after the commission's residual decisions on one evaluated period, or after an annual
    re-assessment it decided."""

    label: str
    risks: int
    scored: int
    mean_inherent: float | None
    mean_residual: float | None
    high_inherent: int
    high_residual: int


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _moment(item: ResidualAssessment) -> tuple:
    """When a decision took effect, for ordering: a period's last day, or the date of the commission's decision on
    an annual re-assessment (which orders after a period ending that day)."""
    if item.period is not None:
        return (item.period.ends_on, 0, item.period.pk)
    round_ = item.reassessment_round
    return (round_.decision_date or round_.decided_at.date(), 1, round_.pk)


def _moment_label(item: ResidualAssessment) -> str:
    if item.period is not None:
        return str(item.period)
    return _("Re-assessment of %(year)s") % {"year": item.reassessment_round.year}


def residual_over_time(*, program: Program) -> list[RiskPoint]:
    """One point per period the commission settled residual scores on and per decided annual re-assessment, oldest
    first; each risk counts with its latest decision up to that point (a risk not yet settled counts on the inherent
    side only). Three queries."""
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
        ResidualAssessment.objects.filter(risk__program=program)
        .filter(Q(period__isnull=False) | Q(reassessment_round__isnull=False))
        .select_related(
            "period",
            "reassessment_round",
            "inherent_probability",
            "inherent_consequence",
            "probability",
            "consequence",
        )
        .order_by("decided_at", "pk")
    )
    moments = sorted({_moment(item): _moment_label(item) for item in decisions}.items())
    points = []
    for moment, label in moments:
        latest: dict[int, ResidualAssessment] = {}
        for item in decisions:
            if _moment(item) <= moment:
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
                label=label,
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
    exact = may_read_exact_signal_counts(user, program.organisation_id)
    return window, signals_by_function(organisation_id=program.organisation_id, window=window, exact=exact)
