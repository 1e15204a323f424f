"""Residual scores from results: the rule's proposal per risk after a period's evaluations, and the commission's
decision on it, kept as a trail (ResidualAssessment) while the register carries the latest score."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from programs.models import Program
from risks.choices import ResidualDecision
from risks.models import (
    ConsequenceLevel,
    MatrixCell,
    ProbabilityLevel,
    ResidualAssessment,
    ResidualRule,
    Risk,
    RiskLevel,
    RiskMatrix,
)
from risks.permissions import may_decide_residual
from risks.residual import DEFAULT_RULE, MeasureResult, Proposal, ResidualRuleSpec, proposal_basis, propose_residual


def _evaluation_model() -> type[models.Model]:
    """The commission's evaluation of an execution entry. It is a model of the reports app, above this one, so it is
    reached through the relation ResidualAssessment declares to the reporting period, then the period's entries."""
    period_model = ResidualAssessment._meta.get_field("period").related_model
    entry_model = period_model._meta.get_field("entries").related_model
    return entry_model._meta.get_field("evaluation").related_model


def rule_for(matrix: RiskMatrix) -> ResidualRuleSpec:
    """The matrix's own rule, or the documented default for a matrix that has none yet."""
    rule = ResidualRule.objects.filter(matrix=matrix).first()
    return rule.spec() if rule else DEFAULT_RULE


def measure_label(measure) -> str:
    """The measure's place in the annex as the seed numbers it: section.task, then the measure's own number."""
    task = measure.task
    number = f"{task.section.number}.{task.number}"
    return f"{number}.{measure.number}" if measure.number else number


def evaluated_periods(*, program: Program) -> list[models.Model]:
    """Periods of the program in which the commission evaluated at least one entry, latest first."""
    periods = program.periods.filter(entries__evaluation__isnull=False).distinct()
    return sorted(periods, key=lambda period: (period.ends_on, period.kind != "quarter"), reverse=True)


def _results_by_risk(*, program: Program, period: models.Model) -> dict[int, list[MeasureResult]]:
    evaluations = _evaluation_model().objects.filter(
        entry__period=period, entry__measure__task__section__program=program
    )
    evaluations = evaluations.select_related("entry__measure__task__section").prefetch_related("entry__measure__risks")
    found: dict[int, list[MeasureResult]] = defaultdict(list)
    for evaluation in evaluations:
        measure = evaluation.entry.measure
        result = MeasureResult(
            label=measure_label(measure),
            timeliness=evaluation.timeliness,
            completeness=evaluation.completeness,
            effectiveness=evaluation.effectiveness,
        )
        for risk in measure.risks.all():
            found[risk.pk].append(result)
    return found


@dataclass
class Axes:
    """A matrix's levels by score and its cells, read once for a whole page."""

    probabilities: dict[int, ProbabilityLevel]
    consequences: dict[int, ConsequenceLevel]
    cells: dict[tuple[int, int], RiskLevel]

    @classmethod
    def of(cls, matrix: RiskMatrix) -> Axes:
        cells = MatrixCell.objects.filter(matrix=matrix).select_related("level")
        return cls(
            probabilities={level.score: level for level in ProbabilityLevel.objects.filter(matrix=matrix)},
            consequences={level.score: level for level in ConsequenceLevel.objects.filter(matrix=matrix)},
            cells={(cell.probability_id, cell.consequence_id): cell.level for cell in cells},
        )

    def level(self, probability: ProbabilityLevel | None, consequence: ConsequenceLevel | None) -> RiskLevel | None:
        if probability is None or consequence is None:
            return None
        return self.cells.get((probability.pk, consequence.pk))


def _propose(risk: Risk, results: list[MeasureResult], rule: ResidualRuleSpec, axes: Axes) -> Proposal | None:
    return propose_residual(
        rule=rule,
        inherent_probability=risk.inherent_probability.score,
        inherent_consequence=risk.inherent_consequence.score,
        probability_scores=list(axes.probabilities),
        consequence_scores=list(axes.consequences),
        results=results,
    )


@dataclass
class ResidualRow:
    """One risk on the commission's page: its scores now and what the period's evaluations propose."""

    risk: Risk
    inherent_level: RiskLevel | None
    residual_level: RiskLevel | None
    proposal: Proposal | None
    proposed_probability: ProbabilityLevel | None
    proposed_consequence: ConsequenceLevel | None
    proposed_level: RiskLevel | None
    reasons: list[str]

    @property
    def direction(self) -> str:
        """Whether the proposal raises, lowers or keeps the residual level the register holds now."""
        if self.proposed_level is None or self.residual_level is None:
            return "new" if self.proposed_level else "none"
        if self.proposed_level.rank > self.residual_level.rank:
            return "up"
        return "down" if self.proposed_level.rank < self.residual_level.rank else "same"


def residual_rows(*, program: Program, period: models.Model) -> list[ResidualRow]:
    """Every risk of the program with the rule's proposal from `period`, in a fixed number of queries."""
    axes = Axes.of(program.risk_matrix)
    rule = rule_for(program.risk_matrix)
    results = _results_by_risk(program=program, period=period)
    risks = Risk.objects.filter(program=program).select_related(
        "inherent_probability", "inherent_consequence", "residual_probability", "residual_consequence"
    )
    rows = []
    for risk in risks:
        proposal = _propose(risk, results.get(risk.pk, []), rule, axes)
        probability = axes.probabilities.get(proposal.probability) if proposal else None
        consequence = axes.consequences.get(proposal.consequence) if proposal else None
        rows.append(
            ResidualRow(
                risk=risk,
                inherent_level=axes.level(risk.inherent_probability, risk.inherent_consequence),
                residual_level=axes.level(risk.residual_probability, risk.residual_consequence),
                proposal=proposal,
                proposed_probability=probability,
                proposed_consequence=consequence,
                proposed_level=axes.level(probability, consequence),
                reasons=reasons(proposal_basis(proposal, rule)) if proposal else [],
            )
        )
    return rows


def reasons(basis: dict) -> list[str]:
    """The proposal's basis as sentences in the reader's language: each measure's grades, then the rule applied."""
    # The grades' names as the evaluation declares them (reports.choices.Grade).
    grades = dict(_evaluation_model()._meta.get_field("timeliness").choices)
    lines = [
        _(
            "Measure %(label)s: timeliness — %(timeliness)s, completeness — %(completeness)s, "
            "effectiveness — %(effectiveness)s: %(percent)s %%."
        )
        % {
            "label": item["label"],
            "timeliness": str(grades.get(item["timeliness"], item["timeliness"])).lower(),
            "completeness": str(grades.get(item["completeness"], item["completeness"])).lower(),
            "effectiveness": str(grades.get(item["effectiveness"], item["effectiveness"])).lower(),
            "percent": item["percent"],
        }
        for item in basis.get("measures", [])
    ]
    rule = basis.get("rule", {})
    if basis.get("probability_steps"):
        lines.append(
            _("The weakest result, %(percent)s %%, lowers the probability by %(steps)s level(s) from the inherent one.")
            % {"percent": basis["percent"], "steps": basis["probability_steps"]}
        )
    elif basis.get("measures"):
        lines.append(
            _(
                "The weakest result, %(percent)s %%, is below %(threshold)s %%: the measures have not shown they work "
                "and the residual score is the inherent one."
            )
            % {"percent": basis["percent"], "threshold": rule.get("partial_reduction_from", "")}
        )
    if basis.get("consequence_steps"):
        lines.append(_("The consequences are lowered by %(steps)s level(s).") % {"steps": basis["consequence_steps"]})
    return lines


@transaction.atomic
def residual_decide(
    *,
    user,
    risk: Risk,
    period: models.Model,
    probability: ProbabilityLevel,
    consequence: ConsequenceLevel,
    reason: str = "",
) -> ResidualAssessment:
    """Record the commission's residual score of `risk` after `period`: the proposal accepted, or another score with
    the reason why. The register takes the score; the trail keeps the proposal, the basis and the decision."""
    risk = Risk.objects.select_for_update().select_related("program__risk_matrix").get(pk=risk.pk)
    program = risk.program
    if period.program_id != program.pk:
        raise ValidationError(_("Choose a period of this program."))
    if not may_decide_residual(user, program):
        raise ValidationError(_("Only the commission and its secretary settle residual scores."))
    if probability.matrix_id != program.risk_matrix_id or consequence.matrix_id != program.risk_matrix_id:
        raise ValidationError(_("Choose levels of the program's risk matrix."))
    axes = Axes.of(program.risk_matrix)
    rule = rule_for(program.risk_matrix)
    results = _results_by_risk(program=program, period=period).get(risk.pk, [])
    proposal = _propose(risk, results, rule, axes)
    reason = reason.strip()
    accepted = proposal is not None and (probability.score, consequence.score) == (
        proposal.probability,
        proposal.consequence,
    )
    if not accepted and not reason:
        raise ValidationError(
            _("Say why the commission sets a score other than the proposed one.")
            if proposal
            else _("No measure treating this risk was evaluated in the period: say why the commission sets this score.")
        )
    assessment = ResidualAssessment.objects.create(
        risk=risk,
        period=period,
        inherent_probability=risk.inherent_probability,
        inherent_consequence=risk.inherent_consequence,
        proposed_probability=axes.probabilities.get(proposal.probability) if proposal else None,
        proposed_consequence=axes.consequences.get(proposal.consequence) if proposal else None,
        probability=probability,
        consequence=consequence,
        decision=ResidualDecision.ACCEPTED if accepted else ResidualDecision.OVERRIDDEN,
        reason=reason,
        basis=proposal_basis(proposal, rule) if proposal else {},
        decided_by=user,
    )
    risk.residual_probability = probability
    risk.residual_consequence = consequence
    risk.version += 1
    risk.save(update_fields=["residual_probability", "residual_consequence", "version"])
    return assessment


def residual_trail(*, risk: Risk) -> list[ResidualAssessment]:
    """The risk's settled residual scores, oldest first, with their reasons rendered for the reader."""
    trail = list(
        ResidualAssessment.objects.filter(risk=risk).select_related(
            "period",
            "reassessment_round",
            "decided_by",
            "inherent_probability",
            "inherent_consequence",
            "proposed_probability",
            "proposed_consequence",
            "probability",
            "consequence",
        )
    )
    for item in trail:
        item.reasons = reasons(item.basis)
    return trail
