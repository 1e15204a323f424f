"""The annual re-assessment's rules: one open round per program, a new score per risk with reasons, the commission's
decision refused while risks are unscored, written to the register's trail, and locking the round — every action
tried in an open and in a decided round."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from risks.choices import ResidualDecision, RoundStatus
from risks.models import ReassessmentRound, ResidualAssessment, RiskReassessment
from risks.reassessment import (
    measures_without_risks,
    reassessment_round_decide,
    reassessment_round_open,
    reassessment_rows,
    risk_reassessment_record,
    risks_without_measures,
)
from risks.residual_services import residual_trail
from tests.conftest import module_world
from tests.factories import MeasureFactory, RiskFactory

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

DECISION = {"decision_date": dt.date(2024, 12, 20), "decision_number": "Протокол № 7"}


def level(program, kind: str, score: int):
    matrix = program.risk_matrix
    return (matrix.probabilities if kind == "p" else matrix.consequences).get(score=score)


def record(user, round_, risk, p: int, c: int, *, reasons="Заходи виконано, порушень не виявлено", version=0):
    program = round_.program
    return risk_reassessment_record(
        user=user,
        round_=round_,
        risk=risk,
        probability=level(program, "p", p),
        consequence=level(program, "c", c),
        reasons=reasons,
        version=version,
    )


def score_all(user, round_, content) -> None:
    record(user, round_, content.risks[0], 2, 3)
    record(user, round_, content.risks[1], 1, 1)


@pytest.fixture
def open_round(program_content, secretary):
    return reassessment_round_open(user=secretary, program=program_content.program, year=2024)


@pytest.fixture
def decided_round(open_round, program_content, secretary, commission):
    score_all(commission, open_round, program_content)
    return reassessment_round_decide(user=commission, round_=open_round, **DECISION)


# --- every action in an open and in a decided round ------------------------------------------------------------------


def open_another(content, people, round_):
    return reassessment_round_open(user=people["secretary"], program=content.program, year=2025)


def record_a_score(content, people, round_):
    return record(people["commission"], round_, content.risks[0], 1, 3, version=1)


def decide_again(content, people, round_):
    return reassessment_round_decide(user=people["commission"], round_=round_, **DECISION)


ACTIONS = {"open another round": open_another, "record a score": record_a_score, "decide": decide_again}
# (state, action) → None when allowed, else a piece of the refusal.
EXPECTED = {
    ("open", "open another round"): "is still open",
    ("open", "record a score"): None,
    ("open", "decide"): None,
    ("decided", "open another round"): None,
    ("decided", "record a score"): "locked",
    ("decided", "decide"): "locked",
}


@pytest.mark.parametrize(("state", "action"), list(EXPECTED))
def test_each_action_in_an_open_and_a_decided_round(
    program_content, secretary, commission, english_messages, state, action
):
    people = {"secretary": secretary, "commission": commission}
    round_ = reassessment_round_open(user=secretary, program=program_content.program, year=2024)
    score_all(commission, round_, program_content)
    if state == "decided":
        round_ = reassessment_round_decide(user=commission, round_=round_, **DECISION)
    expected = EXPECTED[(state, action)]

    if expected is None:
        ACTIONS[action](program_content, people, round_)
    else:
        with pytest.raises(ValidationError) as refused:
            ACTIONS[action](program_content, people, round_)
        assert expected in " ".join(refused.value.messages)
        round_.refresh_from_db()
        assert round_.status == state


# --- who may do what -------------------------------------------------------------------------------------------------

ROLE_RULES = {
    # role: (opens a round, records a score, records the decision)
    "secretary": (True, True, True),
    "commission": (False, True, True),
    "admin_user": (True, False, False),
    "manager": (False, False, False),
    "officer": (False, False, False),
    "reporter": (False, False, False),
    "outsider": (False, False, False),
}


@pytest.mark.parametrize("role", list(ROLE_RULES))
def test_each_role_opens_scores_and_decides_as_the_named_rules_say(request, program_content, secretary, role):
    user = request.getfixturevalue(role)
    opens, scores, decides = ROLE_RULES[role]
    program = program_content.program

    def attempt(action) -> bool:
        """Whether the action is allowed; what it wrote is rolled back so the next one starts from the same state."""
        with transaction.atomic():
            try:
                action()
            except ValidationError:
                return False
            finally:
                transaction.set_rollback(True)
        return True

    assert attempt(lambda: reassessment_round_open(user=user, program=program, year=2025)) is opens
    round_ = reassessment_round_open(user=secretary, program=program, year=2024)
    assert attempt(lambda: record(user, round_, program_content.risks[0], 1, 1)) is scores
    # Whatever this role could do, the secretary scores the rest so that only the decision is tried.
    for risk in program_content.risks:
        if not RiskReassessment.objects.filter(round=round_, risk=risk).exists():
            record(secretary, round_, risk, 1, 1)
    assert attempt(lambda: reassessment_round_decide(user=user, round_=round_, **DECISION)) is decides


# --- the round's rules ------------------------------------------------------------------------------------------------


def test_a_year_outside_the_program_or_already_reassessed_is_refused(decided_round, secretary, english_messages):
    program = decided_round.program
    with pytest.raises(ValidationError) as outside:
        reassessment_round_open(user=secretary, program=program, year=2026)
    with pytest.raises(ValidationError) as again:
        reassessment_round_open(user=secretary, program=program, year=2024)

    assert outside.value.message_dict == {"year": ["Choose a year of the program, 2023–2025."]}
    assert again.value.message_dict == {"year": ["The risks were already re-assessed for 2024."]}


def test_the_database_holds_one_open_round_per_program(open_round):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReassessmentRound.objects.create(program=open_round.program, year=2025)


def test_deciding_is_refused_while_risks_are_unscored_and_names_them(
    open_round, program_content, commission, english_messages
):
    record(commission, open_round, program_content.risks[0], 2, 3)

    with pytest.raises(ValidationError) as refused:
        reassessment_round_decide(user=commission, round_=open_round, **DECISION)

    assert refused.value.messages == [
        "These risks have no new score yet: № 2 «Неповне оприлюднення публічної інформації». "
        "Score them before the commission decides."
    ]
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN
    assert not ResidualAssessment.objects.exists()


def test_the_decision_writes_the_new_scores_to_the_register_and_its_trail(decided_round, program_content, commission):
    high, low = program_content.risks
    versions = {high.pk: high.version, low.pk: low.version}
    high.refresh_from_db()
    low.refresh_from_db()

    assert (high.inherent_probability.score, high.inherent_consequence.score) == (2, 3)
    assert (high.residual_probability.score, high.residual_consequence.score) == (2, 3)
    assert (low.inherent_probability.score, low.inherent_consequence.score) == (1, 1)
    assert high.version == versions[high.pk] + 1
    trail = residual_trail(risk=high)
    assert [(item.decision, item.reassessment_round_id, item.period_id) for item in trail] == [
        (ResidualDecision.REASSESSED, decided_round.pk, None)
    ]
    assert trail[0].reason == "Заходи виконано, порушень не виявлено"
    assert trail[0].decided_by == commission
    assessment = RiskReassessment.objects.get(round=decided_round, risk=high)
    assert (assessment.previous_probability.score, assessment.previous_consequence.score) == (3, 3)
    assert decided_round.status == RoundStatus.DECIDED
    assert decided_round.decision_number == "Протокол № 7"


def test_the_rows_compute_the_levels_from_the_matrix(decided_round):
    rows = reassessment_rows(round_=decided_round)

    assert [(row.risk.number, row.previous_level.code, row.new_level.code) for row in rows] == [
        (1, "high", "high"),
        (2, "low", "low"),
    ]


def test_a_score_someone_else_saved_meanwhile_is_not_overwritten(
    open_round, program_content, commission, secretary, english_messages
):
    risk = program_content.risks[0]
    first = record(commission, open_round, risk, 2, 3)

    with pytest.raises(ValidationError, match="Someone else saved"):
        record(secretary, open_round, risk, 1, 1, version=0)
    corrected = record(secretary, open_round, risk, 1, 3, version=first.version)

    assert (corrected.version, corrected.probability.score, corrected.assessed_by) == (2, 1, secretary)
    assert RiskReassessment.objects.filter(round=open_round).count() == 1


def test_a_score_needs_reasons_levels_of_the_matrix_and_a_risk_of_the_program(
    open_round, program_content, other_program_content, commission, english_messages
):
    risk = program_content.risks[0]
    with pytest.raises(ValidationError) as no_reasons:
        record(commission, open_round, risk, 2, 2, reasons="   ")
    with pytest.raises(ValidationError, match="levels of the program's risk matrix"):
        risk_reassessment_record(
            user=commission,
            round_=open_round,
            risk=risk,
            probability=_foreign_level(open_round),
            consequence=level(open_round.program, "c", 1),
            reasons="x",
            version=0,
        )
    with pytest.raises(ValidationError, match="risk of this program"):
        record(commission, open_round, other_program_content.risks[0], 1, 1)

    assert no_reasons.value.message_dict == {"reasons": ["Give the reasons for the new score."]}


def _foreign_level(round_):
    from risks.models import ProbabilityLevel

    return ProbabilityLevel.objects.exclude(matrix=round_.program.risk_matrix).first()


def test_a_decision_dated_in_the_future_or_without_a_number_is_refused(
    open_round, program_content, commission, english_messages
):
    score_all(commission, open_round, program_content)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as future:
        reassessment_round_decide(user=commission, round_=open_round, decision_date=tomorrow, decision_number="1")
    with pytest.raises(ValidationError) as unnumbered:
        reassessment_round_decide(user=commission, round_=open_round, decision_date=tomorrow, decision_number=" ")

    assert future.value.message_dict == {"decision_date": ["The decision cannot be dated in the future."]}
    assert unnumbered.value.message_dict == {
        "decision_number": ["Enter the number of the decision or of its protocol."]
    }


def test_the_lists_show_untreated_risks_and_measures_with_trainings_apart(program_content):
    program = program_content.program
    lonely = RiskFactory(program=program, number=3, title="Конфлікт інтересів у закупівлях")
    stray = MeasureFactory(
        task=program_content.measures["unit_quarter"].task, number=4, content="Перевірити декларації", risks=[]
    )

    untreated = measures_without_risks(program=program)

    assert risks_without_measures(program=program) == [lonely]
    assert [measure for _label, measure in untreated.should_treat] == [stray]
    assert [label for label, _measure in untreated.treat_none_by_nature] == ["2.1.1", "2.1.2"]
