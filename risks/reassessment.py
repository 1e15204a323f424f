"""The annual re-assessment of the register: a round opened by the secretary, a new score per risk recorded by the
working group with its reasons, and the commission's decision that writes the new scores to the register's trail
(ResidualAssessment, decision REASSESSED) and locks the round.

A round's new score becomes the risk's inherent score and, until later periods' evaluations lower it, its residual
score too: the re-assessment already weighs what the measures achieved, so the register shows one current level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import ConcurrentEditError
from programs.models import Program
from risks.choices import ResidualDecision, RoundStatus
from risks.models import (
    ConsequenceLevel,
    ProbabilityLevel,
    ReassessmentRound,
    ResidualAssessment,
    Risk,
    RiskLevel,
    RiskReassessment,
)
from risks.permissions import may_decide_reassessment, may_keep_register, may_reassess_risks
from risks.residual_services import Axes, measure_label


def _locked_round(round_: ReassessmentRound) -> ReassessmentRound:
    """The round re-read under a row lock, so a decision and a late assessment never pass each other."""
    return ReassessmentRound.objects.select_for_update().select_related("program__risk_matrix").get(pk=round_.pk)


def _refuse_decided(round_: ReassessmentRound) -> None:
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(
            _("The re-assessment of %(year)s is decided by the commission and locked.") % {"year": round_.year}
        )


@transaction.atomic
def reassessment_round_open(*, user, program: Program, year: int) -> ReassessmentRound:
    """Open the program's re-assessment round of `year`: one open round per program, one round per year."""
    if not may_keep_register(user, program):
        raise ValidationError(_("Only the secretary who keeps the register opens a re-assessment round."))
    # Two secretaries opening at once queue on the program's row; the second sees the first one's round.
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not program.start_year <= year <= program.end_year:
        raise ValidationError(
            {
                "year": _("Choose a year of the program, %(start)s–%(end)s.")
                % {"start": program.start_year, "end": program.end_year}
            }
        )
    rounds = ReassessmentRound.objects.filter(program=program)
    open_round = rounds.filter(status=RoundStatus.OPEN).first()
    if open_round is not None:
        raise ValidationError(
            _("The re-assessment of %(year)s is still open: the commission decides it before another one opens.")
            % {"year": open_round.year}
        )
    if rounds.filter(year=year).exists():
        raise ValidationError({"year": _("The risks were already re-assessed for %(year)s.") % {"year": year}})
    return ReassessmentRound.objects.create(program=program, year=year, opened_by=user)


@transaction.atomic
def risk_reassessment_record(
    *,
    user,
    round_: ReassessmentRound,
    risk: Risk,
    probability: ProbabilityLevel,
    consequence: ConsequenceLevel,
    reasons: str,
    version: int,
) -> RiskReassessment:
    """Record (or correct) the working group's new score of `risk` in an open round.

    `version` is the version of the assessment the person saw (0 for none): a score someone else saved meanwhile is
    never overwritten silently."""
    round_ = _locked_round(round_)
    program = round_.program
    if not may_reassess_risks(user, program):
        raise ValidationError(_("Only the commission's working group and its secretary score the risks."))
    _refuse_decided(round_)
    if risk.program_id != program.pk:
        raise ValidationError(_("Choose a risk of this program's register."))
    matrix = program.risk_matrix_id
    if probability.matrix_id != matrix or consequence.matrix_id != matrix:
        raise ValidationError(_("Choose levels of the program's risk matrix."))
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the new score.")})
    existing = RiskReassessment.objects.select_for_update().filter(round=round_, risk=risk).first()
    if (existing.version if existing else 0) != version:
        raise ConcurrentEditError(
            _("Someone else saved a score of this risk meanwhile. Read it and save yours again if it still differs.")
        )
    if existing is None:
        return RiskReassessment.objects.create(
            round=round_,
            risk=risk,
            probability=probability,
            consequence=consequence,
            reasons=reasons,
            assessed_by=user,
        )
    existing.probability, existing.consequence, existing.reasons = probability, consequence, reasons
    existing.assessed_by, existing.assessed_at = user, timezone.now()
    existing.version += 1
    existing.save()
    return existing


def _unassessed(round_: ReassessmentRound) -> list[Risk]:
    return list(Risk.objects.filter(program=round_.program_id).exclude(reassessments__round=round_).order_by("number"))


@transaction.atomic
def reassessment_round_decide(
    *, user, round_: ReassessmentRound, decision_date: dt.date, decision_number: str, decision_text: str = ""
) -> ReassessmentRound:
    """Record the commission's decision: every new score goes to the register and its trail, the round is locked.

    Refused while a risk of the register has no new score; the message names them."""
    round_ = _locked_round(round_)
    if not may_decide_reassessment(user, round_.program):
        raise ValidationError(_("Only the commission and its secretary record the commission's decision."))
    _refuse_decided(round_)
    decision_number = decision_number.strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("Enter the number of the decision or of its protocol.")})
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("The decision cannot be dated in the future.")})
    missing = _unassessed(round_)
    if missing:
        raise ValidationError(
            _("These risks have no new score yet: %(risks)s. Score them before the commission decides.")
            % {"risks": "; ".join(f"№ {risk.number} «{risk.title}»" for risk in missing)}
        )
    assessments = RiskReassessment.objects.filter(round=round_).select_related("risk")
    for assessment in assessments:
        risk = Risk.objects.select_for_update().get(pk=assessment.risk_id)
        assessment.previous_probability_id = risk.inherent_probability_id
        assessment.previous_consequence_id = risk.inherent_consequence_id
        assessment.save(update_fields=["previous_probability", "previous_consequence"])
        ResidualAssessment.objects.create(
            risk=risk,
            reassessment_round=round_,
            inherent_probability=assessment.probability,
            inherent_consequence=assessment.consequence,
            probability=assessment.probability,
            consequence=assessment.consequence,
            decision=ResidualDecision.REASSESSED,
            reason=assessment.reasons,
            decided_by=user,
        )
        risk.inherent_probability = risk.residual_probability = assessment.probability
        risk.inherent_consequence = risk.residual_consequence = assessment.consequence
        risk.version += 1
        risk.save(
            update_fields=[
                "inherent_probability",
                "inherent_consequence",
                "residual_probability",
                "residual_consequence",
                "version",
            ]
        )
    round_.status = RoundStatus.DECIDED
    round_.decision_date, round_.decision_number = decision_date, decision_number
    round_.decision_text = decision_text.strip()
    round_.decided_by, round_.decided_at = user, timezone.now()
    round_.save()
    return round_


@dataclass
class RoundRow:
    """One risk on the round's page: the score the register holds now and the working group's new one."""

    risk: Risk
    current_level: RiskLevel | None
    assessment: RiskReassessment | None
    new_level: RiskLevel | None
    previous_level: RiskLevel | None


def reassessment_rows(*, round_: ReassessmentRound) -> list[RoundRow]:
    """Every risk of the round's program with its current and new score, in a fixed number of queries."""
    axes = Axes.of(round_.program.risk_matrix)
    assessments = {
        item.risk_id: item
        for item in RiskReassessment.objects.filter(round=round_).select_related(
            "probability", "consequence", "previous_probability", "previous_consequence", "assessed_by"
        )
    }
    risks = Risk.objects.filter(program=round_.program_id).select_related(
        "inherent_probability", "inherent_consequence"
    )
    rows = []
    for risk in risks.order_by("number"):
        assessment = assessments.get(risk.pk)
        rows.append(
            RoundRow(
                risk=risk,
                current_level=axes.level(risk.inherent_probability, risk.inherent_consequence),
                assessment=assessment,
                new_level=axes.level(assessment.probability, assessment.consequence) if assessment else None,
                previous_level=(
                    axes.level(assessment.previous_probability, assessment.previous_consequence) if assessment else None
                ),
            )
        )
    return rows


def risks_without_measures(*, program: Program) -> list[Risk]:
    """Risks of the register no measure of the program treats: the round shows them for the working group."""
    return list(Risk.objects.filter(program=program, measures__isnull=True).order_by("number"))


@dataclass
class UntreatedMeasures:
    """Measures treating no risk: those that should (a risk-treatment or other section), and trainings and
    dissemination, which legitimately treat none and are listed apart."""

    should_treat: list[tuple[str, models.Model]]
    treat_none_by_nature: list[tuple[str, models.Model]]


def measures_without_risks(*, program: Program) -> UntreatedMeasures:
    # The measures app sits above this one: reach its model through the relation it declares to Risk.
    measure_model = Risk._meta.get_field("measures").related_model
    measures = (
        measure_model.objects.filter(task__section__program=program, risks__isnull=True)
        .select_related("task__section")
        .order_by("task__section__number", "task__number", "position", "number", "pk")
    )
    found = UntreatedMeasures(should_treat=[], treat_none_by_nature=[])
    for measure in measures:
        group = found.treat_none_by_nature if measure.task.section.treats_no_risk_by_nature else found.should_treat
        group.append((measure_label(measure), measure))
    return found
