"""The residual-score rule: what the commission's evaluations of the measures say about a risk. Pure, no ORM.

NAZK's methodology asks a body to re-assess a risk with what it learns from its measures. The rule below turns the
commission's three grades of every measure treating a risk (timeliness, completeness, effectiveness) into a proposed
residual score. Every number of it is data (`risks.models.ResidualRule`, one row per matrix), so a body or a new
methodology changes the weights and thresholds without a release.

The documented default (DEFAULT_RULE):
1. Each evaluated measure earns a result in percent: the grades weighted effectiveness 3, completeness 2, timeliness 1;
   "met" earns the whole weight, "partly met" half of it, "not met" nothing.
2. A risk is treated only as well as its weakest measure: the risk's result is the lowest result of its measures.
3. A result of 80 % or more lowers the probability two levels below the inherent one; 50 % or more lowers it one
   level; below 50 % the measures have not shown they work and the residual score is the inherent one.
   Consequences stay as assessed (measures make a risk less likely; its harm, if realised, is the same).
4. A level never falls below the lowest of the matrix; a risk whose measures were not evaluated gets no proposal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MET = "met"
PARTLY_MET = "partly_met"
NOT_MET = "not_met"


@dataclass(frozen=True)
class ResidualRuleSpec:
    """The rule's numbers. Weights are relative; percentages are 0–100."""

    effectiveness_weight: int = 3
    completeness_weight: int = 2
    timeliness_weight: int = 1
    partly_met_credit: int = 50
    full_reduction_from: int = 80
    full_reduction_steps: int = 2
    partial_reduction_from: int = 50
    partial_reduction_steps: int = 1
    consequence_steps_at_full: int = 0

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


DEFAULT_RULE = ResidualRuleSpec()


@dataclass(frozen=True)
class MeasureResult:
    """The commission's grades of one measure treating the risk, in one period."""

    label: str
    timeliness: str
    completeness: str
    effectiveness: str


@dataclass(frozen=True)
class Proposal:
    """A proposed residual score with what it was drawn from."""

    probability: int
    consequence: int
    percent: int  # the weakest measure's result
    probability_steps: int
    consequence_steps: int
    measures: tuple[tuple[MeasureResult, int], ...]


def _credit(grade: str, rule: ResidualRuleSpec) -> int:
    if grade == MET:
        return 100
    if grade == PARTLY_MET:
        return rule.partly_met_credit
    if grade == NOT_MET:
        return 0
    raise ValueError(f"Unknown grade {grade!r}")


def measure_percent(result: MeasureResult, rule: ResidualRuleSpec) -> int:
    """One measure's result in percent, rounded down so that a borderline measure never earns a reduction."""
    weighted = (
        (rule.effectiveness_weight, result.effectiveness),
        (rule.completeness_weight, result.completeness),
        (rule.timeliness_weight, result.timeliness),
    )
    total = sum(weight for weight, _ in weighted)
    if total <= 0:
        raise ValueError("The rule's weights must add up to more than zero")
    return sum(weight * _credit(grade, rule) for weight, grade in weighted) // total


def _lowered(score: int, scores: Sequence[int], steps: int) -> int:
    """The score `steps` levels below `score` on the matrix axis, never below its lowest level."""
    ordered = sorted(scores)
    if score not in ordered:
        raise ValueError(f"Score {score} is not a level of the matrix")
    return ordered[max(ordered.index(score) - steps, 0)]


def propose_residual(
    *,
    rule: ResidualRuleSpec,
    inherent_probability: int,
    inherent_consequence: int,
    probability_scores: Sequence[int],
    consequence_scores: Sequence[int],
    results: Sequence[MeasureResult],
) -> Proposal | None:
    """The residual score the evaluations support, or None when no measure treating the risk was evaluated."""
    if not results:
        return None
    scored = tuple((result, measure_percent(result, rule)) for result in results)
    weakest = min(percent for _, percent in scored)
    if weakest >= rule.full_reduction_from:
        probability_steps, consequence_steps = rule.full_reduction_steps, rule.consequence_steps_at_full
    elif weakest >= rule.partial_reduction_from:
        probability_steps, consequence_steps = rule.partial_reduction_steps, 0
    else:
        probability_steps, consequence_steps = 0, 0
    return Proposal(
        probability=_lowered(inherent_probability, probability_scores, probability_steps),
        consequence=_lowered(inherent_consequence, consequence_scores, consequence_steps),
        percent=weakest,
        probability_steps=probability_steps,
        consequence_steps=consequence_steps,
        measures=scored,
    )


def proposal_basis(proposal: Proposal, rule: ResidualRuleSpec) -> dict:
    """What the proposal was drawn from, as JSON kept with the decision so the trail explains itself later."""
    return {
        "rule": rule.as_dict(),
        "percent": proposal.percent,
        "probability_steps": proposal.probability_steps,
        "consequence_steps": proposal.consequence_steps,
        "measures": [
            {
                "label": result.label,
                "timeliness": result.timeliness,
                "completeness": result.completeness,
                "effectiveness": result.effectiveness,
                "percent": percent,
            }
            for result, percent in proposal.measures
        ],
    }
