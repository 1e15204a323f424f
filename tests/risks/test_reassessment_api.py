"""The annual re-assessment over /api/v1/reassessment-rounds/: the page's rules as actions — open, assess with the
version read (a stale one is a 409), decide (refused while risks are unscored), locked after — and a list read in a
fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from risks.choices import RoundStatus
from risks.models import ReassessmentRound

pytestmark = pytest.mark.django_db

API = "/api/v1/reassessment-rounds/"


def levels(program, p: int, c: int) -> dict:
    matrix = program.risk_matrix
    return {"probability": matrix.probabilities.get(score=p).pk, "consequence": matrix.consequences.get(score=c).pk}


def assess(client, round_id, risk, program, p, c, version=0):
    payload = {"risk": risk.pk, **levels(program, p, c), "reasons": "Переоцінено робочою групою", "version": version}
    return client.post(f"{API}{round_id}/assess/", payload, format="json")


def test_the_round_is_opened_scored_and_decided_over_the_api(api, program_content):
    program = program_content.program
    high, low = program_content.risks
    secretary, commission = api("secretary"), api("commission")

    refused_open = commission.post(API, {"program": program.pk, "year": 2024}, format="json")
    opened = secretary.post(API, {"program": program.pk, "year": 2024}, format="json")
    round_id = opened.json()["id"]
    scored = assess(commission, round_id, high, program, 2, 3)
    stale = assess(secretary, round_id, high, program, 1, 1, version=0)
    early = commission.post(f"{API}{round_id}/decide/", {"decision_date": "2024-12-20", "decision_number": "7"})
    assess(commission, round_id, low, program, 3, 3)
    decided = commission.post(
        f"{API}{round_id}/decide/", {"decision_date": "2024-12-20", "decision_number": "7"}, format="json"
    )
    late = assess(commission, round_id, high, program, 1, 1, version=1)

    assert refused_open.status_code == 403
    assert opened.status_code == 201
    assert (opened.json()["year"], opened.json()["status"]) == (2024, "open")
    assert scored.status_code == 200
    assert [(item["risk"], item["level"], item["version"]) for item in scored.json()["assessments"]] == [
        (high.pk, "high", 1)
    ]
    assert stale.status_code == 409
    assert early.status_code == 400
    assert "№ 2 «Неповне оприлюднення публічної інформації»" in str(early.json())
    assert decided.status_code == 200
    assert decided.json()["status"] == RoundStatus.DECIDED
    assert late.status_code == 400
    assert late.json()["message"] == "Переоцінку 2024 року вирішено комісією, її заблоковано."
    high.refresh_from_db()
    assert (high.inherent_probability.score, high.inherent_consequence.score) == (2, 3)


def test_a_bad_score_is_refused_with_the_field_named(api, program_content, other_program_content, secretary):
    program = program_content.program
    round_ = ReassessmentRound.objects.create(program=program, year=2024)
    client = api("secretary")

    no_reasons = client.post(
        f"{API}{round_.pk}/assess/",
        {"risk": program_content.risks[0].pk, **levels(program, 1, 1), "reasons": "", "version": 0},
        format="json",
    )
    foreign = assess(client, round_.pk, other_program_content.risks[0], program, 1, 1)

    assert no_reasons.status_code == 400
    assert "reasons" in no_reasons.json()["fields"]
    assert foreign.status_code == 400
    assert "risk" in foreign.json()["fields"]


@pytest.mark.parametrize("years", [1, 3])
def test_the_list_reads_in_a_fixed_number_of_queries(api, program_content, years, django_assert_max_num_queries):
    program = program_content.program
    for year in range(2023, 2023 + years):
        ReassessmentRound.objects.create(
            program=program,
            year=year,
            status=RoundStatus.DECIDED,
            decision_date=dt.date(year, 12, 1),
            decision_number=str(year),
            decided_at=timezone.now(),
        )
    client = api("manager")

    with django_assert_max_num_queries(12):
        response = client.get(API, {"program": program.pk})

    assert response.status_code == 200
    assert len(response.json()["results"]) == years
