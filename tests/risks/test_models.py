"""Risk levels computed in the database from the program's matrix, and the register's constraints."""

import pytest
from django.db import IntegrityError, transaction

from risks.matrix import PRESETS
from risks.models import MatrixCell, Risk, RiskMatrix
from risks.selectors import risk_list_with_levels
from tests.factories import ProgramFactory, RiskFactory

pytestmark = pytest.mark.django_db

CELLS = [(spec, cell, code) for spec in PRESETS for cell, code in spec.cells.items()]


@pytest.mark.parametrize("spec", PRESETS, ids=lambda spec: spec.code)
def test_the_migration_installs_each_preset_exactly_as_specified(spec):
    matrix = RiskMatrix.objects.get(code=spec.code)
    installed = {
        (cell.probability.score, cell.consequence.score): cell.level.code
        for cell in MatrixCell.objects.filter(matrix=matrix).select_related("probability", "consequence", "level")
    }

    assert matrix.is_preset
    assert installed == dict(spec.cells)
    assert matrix.name_uk == spec.names["uk"]


@pytest.mark.parametrize(("spec", "cell", "code"), CELLS, ids=[f"{spec.code}-{p}x{c}" for spec, (p, c), _ in CELLS])
def test_each_cell_gives_the_same_level_in_the_database_as_in_the_pure_function(spec, cell, code):
    probability, consequence = cell
    program = ProgramFactory(risk_matrix=RiskMatrix.objects.get(code=spec.code))
    risk = RiskFactory(
        program=program,
        probability_score=probability,
        consequence_score=consequence,
        residual_probability_score=probability,
        residual_consequence_score=consequence,
    )

    annotated = Risk.objects.with_levels().get(pk=risk.pk)
    levels = {level.pk: level.code for level in program.risk_matrix.levels.all()}

    assert spec.level_of(probability, consequence).code == code
    assert levels[annotated.inherent_level_id] == code
    assert levels[annotated.residual_level_id] == code
    assert annotated.inherent_level_rank == spec.level_of(probability, consequence).rank
    assert (annotated.inherent_level_code, annotated.residual_level_code) == (code, code)
    assert Risk.objects.get(pk=risk.pk).inherent_level.code == code
    assert Risk.objects.get(pk=risk.pk).residual_level.code == code


def test_the_same_scores_give_different_levels_under_the_2016_and_2021_matrices():
    old = RiskFactory(
        program=ProgramFactory(risk_matrix=RiskMatrix.objects.get(code="nazk-2016")),
        probability_score=3,
        consequence_score=1,
    )
    new = RiskFactory(
        program=ProgramFactory(risk_matrix=RiskMatrix.objects.get(code="nazk-2021")),
        probability_score=3,
        consequence_score=1,
    )

    assert old.inherent_level.code == "high"
    assert new.inherent_level.code == "medium"


def test_a_risk_without_residual_scores_has_no_residual_level():
    risk = RiskFactory(probability_score=2, consequence_score=3)

    assert risk.residual_level is None
    assert Risk.objects.with_levels().get(pk=risk.pk).residual_level_id is None
    assert risk.inherent_score == 6


def test_a_risk_scored_in_half_for_residual_level_is_refused():
    program = ProgramFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RiskFactory(program=program, residual_probability_score=1, residual_consequence_score=None)


def test_two_risks_of_one_program_cannot_share_a_number():
    risk = RiskFactory(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        RiskFactory(program=risk.program, number=1)


def test_the_register_sorts_by_number_and_attaches_levels_for_the_secretary(program_content, secretary):
    risks = risk_list_with_levels(user=secretary, program=program_content.program)

    assert [(risk.number, risk.inherent.code) for risk in risks] == [(1, "high"), (2, "low")]
