"""The residual-score rule, case by case over both matrix presets (risks/residual.py documents the default)."""

from dataclasses import replace

import pytest

from risks.matrix import NAZK_2016, NAZK_2021
from risks.models import ResidualRule, RiskMatrix
from risks.residual import DEFAULT_RULE, MeasureResult, propose_residual
from risks.residual_services import rule_for
from tests.factories import preset_matrix

MET, PARTLY, NOT = "met", "partly_met", "not_met"
PRESETS = {"nazk-2016": NAZK_2016, "nazk-2021": NAZK_2021}


def grades(*measures: tuple[str, str, str]) -> list[MeasureResult]:
    """Measures as (timeliness, completeness, effectiveness)."""
    return [MeasureResult(f"1.1.{n}", *grade) for n, grade in enumerate(measures, start=1)]


# (case, inherent (p, c), measures, expected percent, expected residual (p, c), level on 2016, level on 2021)
CASES = [
    ("all met: two levels lower", (3, 3), grades((MET, MET, MET)), 100, (1, 3), "medium", "medium"),
    ("ineffective, else met: one level", (3, 3), grades((MET, MET, NOT)), 50, (2, 3), "high", "high"),
    ("partly effective: one level", (3, 3), grades((MET, MET, PARTLY)), 75, (2, 3), "high", "high"),
    ("nothing met: stays inherent", (3, 3), grades((NOT, NOT, NOT)), 0, (3, 3), "high", "high"),
    ("only timely: stays inherent", (3, 3), grades((MET, NOT, NOT)), 16, (3, 3), "high", "high"),
    ("effective, partly complete, late", (3, 3), grades((NOT, PARTLY, MET)), 66, (2, 3), "high", "high"),
    ("effective, complete, partly timely", (3, 3), grades((PARTLY, MET, MET)), 91, (1, 3), "medium", "medium"),
    ("effective, partly complete, timely", (3, 3), grades((MET, PARTLY, MET)), 83, (1, 3), "medium", "medium"),
    ("weakest of two measures decides", (3, 3), grades((MET, MET, MET), (MET, MET, NOT)), 50, (2, 3), "high", "high"),
    ("one failing measure of two", (3, 2), grades((MET, MET, MET), (NOT, NOT, NOT)), 0, (3, 2), "high", "high"),
    ("never below the lowest level", (1, 2), grades((MET, MET, MET)), 100, (1, 2), "low", "low"),
    ("medium probability to the lowest", (2, 2), grades((MET, MET, MET)), 100, (1, 2), "low", "low"),
    ("medium probability, partial", (2, 3), grades((MET, MET, PARTLY)), 75, (1, 3), "medium", "medium"),
    ("consequences stay as assessed", (2, 1), grades((NOT, MET, MET)), 83, (1, 1), "low", "low"),
]


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize(("case", "inherent", "results", "percent", "expected", "level_2016", "level_2021"), CASES)
def test_the_default_rule_proposes_the_residual_score(
    preset, case, inherent, results, percent, expected, level_2016, level_2021
):
    spec = PRESETS[preset]
    proposal = propose_residual(
        rule=DEFAULT_RULE,
        inherent_probability=inherent[0],
        inherent_consequence=inherent[1],
        probability_scores=[axis.score for axis in spec.probabilities],
        consequence_scores=[axis.score for axis in spec.consequences],
        results=results,
    )

    assert proposal.percent == percent
    assert (proposal.probability, proposal.consequence) == expected
    expected_level = level_2016 if preset == "nazk-2016" else level_2021
    assert spec.level_of(proposal.probability, proposal.consequence).code == expected_level


@pytest.mark.parametrize("preset", list(PRESETS))
def test_a_risk_whose_measures_were_not_evaluated_gets_no_proposal(preset):
    spec = PRESETS[preset]

    assert (
        propose_residual(
            rule=DEFAULT_RULE,
            inherent_probability=3,
            inherent_consequence=3,
            probability_scores=[axis.score for axis in spec.probabilities],
            consequence_scores=[axis.score for axis in spec.consequences],
            results=[],
        )
        is None
    )


# (change to the default rule, measures, expected residual of a 3 × 3 risk)
RULE_CASES = [
    ("consequences lowered at full", {"consequence_steps_at_full": 1}, grades((MET, MET, MET)), (1, 2)),
    ("a stricter full threshold", {"full_reduction_from": 100}, grades((PARTLY, MET, MET)), (2, 3)),
    ("no credit for partly met", {"partly_met_credit": 0}, grades((MET, PARTLY, PARTLY)), (3, 3)),
    ("effectiveness alone counts", {"completeness_weight": 0, "timeliness_weight": 0}, grades((NOT, NOT, MET)), (1, 3)),
    ("a partial reduction of two levels", {"partial_reduction_steps": 2}, grades((MET, MET, NOT)), (1, 3)),
]


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize(("case", "changes", "results", "expected"), RULE_CASES)
def test_the_rule_is_data(preset, case, changes, results, expected):
    spec = PRESETS[preset]
    proposal = propose_residual(
        rule=replace(DEFAULT_RULE, **changes),
        inherent_probability=3,
        inherent_consequence=3,
        probability_scores=[axis.score for axis in spec.probabilities],
        consequence_scores=[axis.score for axis in spec.consequences],
        results=results,
    )

    assert (proposal.probability, proposal.consequence) == expected


def test_an_unknown_grade_is_refused_not_guessed():
    with pytest.raises(ValueError, match="Unknown grade"):
        propose_residual(
            rule=DEFAULT_RULE,
            inherent_probability=3,
            inherent_consequence=3,
            probability_scores=[1, 2, 3],
            consequence_scores=[1, 2, 3],
            results=[MeasureResult("1.1", "good", MET, MET)],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(PRESETS))
def test_each_preset_matrix_carries_the_documented_default_rule_and_its_own_changes_apply(code):
    matrix = preset_matrix(code)
    ResidualRule.objects.get_or_create(matrix=matrix)

    assert rule_for(matrix) == DEFAULT_RULE
    ResidualRule.objects.filter(matrix=matrix).update(full_reduction_steps=1)
    assert rule_for(RiskMatrix.objects.get(code=code)).full_reduction_steps == 1
