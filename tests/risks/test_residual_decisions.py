"""The commission settles residual scores from a period's evaluations: the proposal with its reasons, accepted or
overridden with a recorded reason, every decision kept as the risk's trail and the register carrying the latest."""

import pytest
from django.urls import reverse

from reports.choices import Grade
from reports.execution.models import Evaluation
from risks.choices import ResidualDecision
from risks.models import ResidualAssessment
from risks.residual_services import residual_rows
from tests.conftest import module_world
from tests.factories import ExecutionEntryFactory

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())


@pytest.fixture
def login(login):
    def sign_in(persona: str):
        client = login(persona)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


def evaluate(entry, *, timeliness=Grade.MET, completeness=Grade.MET, effectiveness=Grade.MET) -> Evaluation:
    evaluation, _ = Evaluation.objects.update_or_create(
        entry=entry,
        defaults={"timeliness": timeliness, "completeness": completeness, "effectiveness": effectiveness},
    )
    return evaluation


@pytest.fixture
def evaluated(program_content):
    """Q1 2023: the measure treating the high risk (3 × 3) was done and evaluated well."""
    evaluate(program_content.entries["unit_quarter"])
    return program_content


def decide(client, content, *, period=None, **data):
    risk = content.risks[0]
    prefix = f"risk-{risk.pk}"
    fields = {"period": (period or content.periods[0]).pk}
    fields.update({f"{prefix}-{name}" if name != "accept" else name: value for name, value in data.items()})
    return client.post(reverse("risks:residual-decide", args=[content.program.pk, risk.pk]), fields)


def levels(content, score_p: int, score_c: int):
    matrix = content.program.risk_matrix
    return matrix.probabilities.get(score=score_p).pk, matrix.consequences.get(score=score_c).pk


def test_the_page_proposes_a_score_with_its_reasons(login, evaluated, english_messages):
    response = login("commission").get(reverse("risks:residual", args=[evaluated.program.pk]))
    html = response.content.decode()
    row = html.split(f'id="risk-{evaluated.risks[0].pk}"')[1].split("</article>")[0]

    assert response.status_code == 200
    assert "1 × 3" in row.split('class="residual-proposed"')[1]  # 100 %: probability two levels lower
    assert "Measure 1.1.1: timeliness — met, completeness — met, effectiveness — met: 100 %." in row
    assert "lowers the probability by 2 level(s)" in row
    # The low risk's measure (half-yearly, a draft) was not evaluated: nothing to propose.
    low = html.split(f'id="risk-{evaluated.risks[1].pk}"')[1].split("</article>")[0]
    assert "no proposal" in low


def test_the_commission_accepts_the_proposal_and_the_register_takes_it(login, evaluated):
    response = decide(login("commission"), evaluated, accept="1")

    assert response.status_code == 302
    risk = evaluated.risks[0]
    risk.refresh_from_db()
    assert (risk.residual_probability.score, risk.residual_consequence.score) == (1, 3)
    assessment = ResidualAssessment.objects.get(risk=risk)
    assert assessment.decision == ResidualDecision.ACCEPTED
    assert assessment.basis["percent"] == 100
    assert assessment.basis["measures"][0]["label"] == "1.1.1"


def test_an_override_needs_a_reason_and_keeps_what_was_chosen(login, evaluated):
    commission = login("commission")
    probability, consequence = levels(evaluated, 2, 3)

    refused = decide(commission, evaluated, probability=probability, consequence=consequence, reason=" ")
    assert refused.status_code == 400
    assert "Say why the commission sets a score other than the proposed one." in refused.content.decode()
    assert f'<option value="{probability}" selected>' in refused.content.decode()  # nothing chosen is lost
    assert not ResidualAssessment.objects.exists()

    reason = "Перевірки кандидатів вибіркові; ризик лишається середнім до повної перевірки."
    accepted = decide(commission, evaluated, probability=probability, consequence=consequence, reason=reason)
    assert accepted.status_code == 302
    assessment = ResidualAssessment.objects.get()
    assert assessment.decision == ResidualDecision.OVERRIDDEN
    assert assessment.reason == reason
    assert (assessment.proposed_probability.score, assessment.probability.score) == (1, 2)


def test_an_ineffective_measure_raises_the_proposal_and_the_trail_keeps_both_scores(login, evaluated):
    commission = login("commission")
    decide(commission, evaluated, accept="1")
    evaluate(evaluated.entries["unit_quarter"], effectiveness=Grade.NOT_MET)
    second_quarter = ExecutionEntryFactory(
        measure=evaluated.measures["unit_quarter"], period=evaluated.periods[1], submitted=True
    )
    evaluate(second_quarter, effectiveness=Grade.NOT_MET, completeness=Grade.PARTLY_MET)

    row = next(row for row in residual_rows(program=evaluated.program, period=evaluated.periods[1]) if row.proposal)
    assert (row.proposal.probability, row.proposal.consequence) == (3, 3)
    assert row.direction == "up"
    decide(commission, evaluated, period=evaluated.periods[1], accept="1")

    trail = list(ResidualAssessment.objects.filter(risk=evaluated.risks[0]).order_by("decided_at", "pk"))
    assert [(item.probability.score, item.period_id) for item in trail] == [
        (1, evaluated.periods[0].pk),
        (3, evaluated.periods[1].pk),
    ]
    detail = commission.get(reverse("risks:detail", args=[evaluated.program.pk, evaluated.risks[0].pk]))
    assert detail.content.decode().count("Proposal accepted") == 2


@pytest.mark.parametrize("persona", ["manager", "officer", "admin_user"])
def test_only_the_commission_and_its_secretary_settle_residual_scores(login, evaluated, persona):
    response = decide(login(persona), evaluated, accept="1")

    assert response.status_code == 403
    assert not ResidualAssessment.objects.exists()


def test_the_secretary_records_the_commissions_decision(login, evaluated):
    assert decide(login("secretary"), evaluated, accept="1").status_code == 302


@pytest.mark.parametrize(
    ("case", "period", "status"),
    [("a period never evaluated", "second", 404), ("not a number", "abc", 404), ("another program's", "other", 404)],
)
def test_a_period_that_cannot_be_decided_on_is_not_found(login, evaluated, other_program_content, case, period, status):
    named = {
        "second": evaluated.periods[1].pk,
        "abc": "abc",
        "other": other_program_content.periods[0].pk,
    }[period]
    risk = evaluated.risks[0]
    url = reverse("risks:residual-decide", args=[evaluated.program.pk, risk.pk])

    assert login("commission").post(url, {"period": named, "accept": "1"}).status_code == status
    assert not ResidualAssessment.objects.exists()


def test_a_level_of_another_matrix_is_refused_with_a_message(login, evaluated):
    from tests.factories import preset_matrix

    other = preset_matrix("nazk-2016")
    response = decide(
        login("commission"),
        evaluated,
        probability=other.probabilities.get(score=2).pk,
        consequence=other.consequences.get(score=2).pk,
        reason="Інша матриця",
    )

    assert response.status_code == 400
    assert not ResidualAssessment.objects.exists()


def test_the_review_page_reads_in_a_fixed_number_of_queries(login, evaluated, django_assert_max_num_queries):
    from tests.factories import MeasureFactory, RiskFactory

    task = evaluated.measures["unit_quarter"].task
    for number in range(3, 33):
        risk = RiskFactory(program=evaluated.program, number=number, probability_score=3, consequence_score=2)
        measure = MeasureFactory(task=task, number=number + 10, risks=[risk])
        evaluate(ExecutionEntryFactory(measure=measure, period=evaluated.periods[0], submitted=True))
    client = login("commission")

    with django_assert_max_num_queries(30):
        response = client.get(reverse("risks:residual", args=[evaluated.program.pk]))
    assert response.status_code == 200


def test_the_matrixs_own_rule_drives_the_proposal_and_the_page_states_it(login, evaluated, english_messages):
    from risks.models import ResidualRule

    ResidualRule.objects.update_or_create(matrix=evaluated.program.risk_matrix, defaults={"full_reduction_steps": 1})
    html = login("commission").get(reverse("risks:residual", args=[evaluated.program.pk])).content.decode()
    row = html.split(f'id="risk-{evaluated.risks[0].pk}"')[1].split("</article>")[0]

    assert "2 × 3" in row.split('class="residual-proposed"')[1]  # 100 %, but this matrix lowers one level only
    assert "From 80 % the probability falls 1 level(s) below the inherent one" in html
