"""The risk loop on the dashboard: residual against inherent risk per settled period, and cases per function."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.choices import Grade
from reports.execution.models import Evaluation
from risks.case_signals import case_signal_save
from risks.dashboard import residual_over_time
from risks.reassessment import reassessment_round_decide, reassessment_round_open, risk_reassessment_record
from risks.residual_services import residual_decide
from tests.factories import ExecutionEntryFactory, RiskFactory, WhistleblowerReportFactory

pytestmark = pytest.mark.django_db


def settle(content, period, entry, user, **grades):
    Evaluation.objects.update_or_create(
        entry=entry,
        defaults={"timeliness": Grade.MET, "completeness": Grade.MET, "effectiveness": Grade.MET, **grades},
    )
    matrix = content.program.risk_matrix
    risk = content.risks[0]
    from risks.residual_services import residual_rows

    row = next(row for row in residual_rows(program=content.program, period=period) if row.risk.pk == risk.pk)
    residual_decide(
        user=user,
        risk=risk,
        period=period,
        probability=matrix.probabilities.get(score=row.proposal.probability),
        consequence=matrix.consequences.get(score=row.proposal.consequence),
    )


def test_residual_against_inherent_follows_each_settled_period(program_content, commission):
    content = program_content
    first, second = content.periods
    settle(content, first, content.entries["unit_quarter"], commission)  # 3 × 3 → 1 × 3
    later = ExecutionEntryFactory(measure=content.measures["unit_quarter"], period=second, submitted=True)
    settle(content, second, later, commission, effectiveness=Grade.NOT_MET)  # 50 % → 2 × 3

    points = residual_over_time(program=content.program)

    assert [point.label for point in points] == [str(first), str(second)]
    assert [(point.scored, point.risks) for point in points] == [(1, 2), (1, 2)]
    assert [point.mean_inherent for point in points] == [5.5, 5.5]  # (9 + 2) / 2
    assert [point.mean_residual for point in points] == [3.0, 6.0]
    assert [(point.high_inherent, point.high_residual) for point in points] == [(1, 0), (1, 1)]


def test_a_decided_re_assessment_is_a_point_of_its_own_after_the_periods_it_follows(
    program_content, commission, secretary
):
    content = program_content
    first, _second = content.periods
    settle(content, first, content.entries["unit_quarter"], commission)  # 2023 Q1: the high risk 3 × 3 → 1 × 3
    round_ = reassessment_round_open(user=secretary, program=content.program, year=content.program.start_year)
    high, low = content.risks
    for risk, p, c in ((high, 2, 3), (low, 1, 1)):
        risk_reassessment_record(
            user=commission,
            round_=round_,
            risk=risk,
            probability=content.program.risk_matrix.probabilities.get(score=p),
            consequence=content.program.risk_matrix.consequences.get(score=c),
            reasons="Переоцінено робочою групою",
            version=0,
        )
    reassessment_round_decide(
        user=commission, round_=round_, decision_date=dt.date(2024, 1, 15), decision_number="Протокол № 1"
    )

    points = residual_over_time(program=content.program)

    assert [point.label for point in points] == [str(first), f"Переоцінка {content.program.start_year} року"]
    after = points[-1]
    assert (after.scored, after.risks) == (2, 2)  # the re-assessment scores every risk
    assert after.mean_inherent == after.mean_residual == 3.5  # (6 + 1) / 2: the new score is both
    assert (after.high_inherent, after.high_residual) == (1, 1)  # 2 × 3 is still high on this matrix


def test_a_program_never_settled_has_no_points(program_content):
    assert residual_over_time(program=program_content.program) == []


@pytest.mark.parametrize(("persona", "shown"), [("manager", "менше 3"), ("officer", "2")])
def test_the_page_counts_cases_per_function_masked_for_all_but_the_officer(
    login, program_content, organisation, persona, shown
):
    for _ in range(2):
        report = WhistleblowerReportFactory(
            organisation=organisation, received_at=timezone.now() - dt.timedelta(days=3)
        )
        case_signal_save(report=report, function="finance", process="", risk=None, proposed_risk="")

    html = login(persona).get("/dashboard/", {"program": program_content.program.pk}).content.decode()
    table = html.split('id="signals-per-function"')[1].split("</table>")[0]
    finance = table.split("Управління фінансами")[1].split("</tr>")[0]

    assert f'class="num signal-count">{shown}</td>' in finance


def test_the_risk_loop_adds_no_query_per_risk_or_decision(login, program_content, commission):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("manager")
    params = {"program": program_content.program.pk, "period": program_content.periods[0].pk}
    settle(program_content, program_content.periods[0], program_content.entries["unit_quarter"], commission)
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/", params)
    for number in range(3, 40):
        RiskFactory(program=program_content.program, number=number, probability_score=2, consequence_score=3)
    settle(program_content, program_content.periods[0], program_content.entries["unit_quarter"], commission)
    with CaptureQueriesContext(connection) as large:
        client.get("/dashboard/", params)

    assert len(small) == len(large)


@pytest.mark.parametrize(("persona", "finance"), [("manager", None), ("officer", 2)])
def test_the_api_gives_the_same_numbers_with_small_counts_null_for_all_but_the_officer(
    api, program_content, organisation, commission, persona, finance
):
    settle(program_content, program_content.periods[0], program_content.entries["unit_quarter"], commission)
    for _ in range(2):
        report = WhistleblowerReportFactory(
            organisation=organisation, received_at=timezone.now() - dt.timedelta(days=3), details="Текст справи"
        )
        case_signal_save(report=report, function="finance", process="", risk=None, proposed_risk="")

    response = api(persona).get("/api/v1/dashboard/risk-loop/", {"program": program_content.program.pk})
    body = response.json()

    assert response.status_code == 200
    assert body["residual_over_time"][0]["mean_residual"] == 3.0
    assert body["signals"]["fewer_than"] == 3
    assert {row["function"]: row["cases"] for row in body["signals"]["functions"]}["finance"] == finance
    assert "Текст справи" not in response.content.decode()


def test_the_api_refuses_a_unit_reporter_and_a_program_out_of_scope(api, program_content, other_program):
    assert (
        api("reporter").get("/api/v1/dashboard/risk-loop/", {"program": program_content.program.pk}).status_code == 403
    )
    refused = api("manager").get("/api/v1/dashboard/risk-loop/", {"program": other_program.pk})
    assert refused.status_code == 400
    assert "program" in str(refused.json())  # the error names the parameter
