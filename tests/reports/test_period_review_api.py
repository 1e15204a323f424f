"""The review of a period over the API: the review page's state changes, evaluations and the order of evidence."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.periods import PeriodKind
from reports.choices import EntryState, EvidenceKind, Grade, PeriodAction, PeriodState
from reports.execution.models import Evaluation, PeriodEvent
from reports.execution.period_services import period_approve, period_send_for_review
from tests.conftest import module_world
from tests.factories import EvidenceFactory, ExecutionEntryFactory, ReportingPeriodFactory
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

PERIODS = "/api/v1/reporting-periods/"
GRADES = {"timeliness": Grade.MET, "completeness": Grade.PARTLY_MET, "effectiveness": Grade.MET}


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


def test_the_secretary_sends_a_period_for_review_and_its_history_says_who(api, first_quarter, secretary):
    response = post(api("secretary"), f"{PERIODS}{first_quarter.pk}/send-for-review/")

    assert response.status_code == 200
    assert response.json()["state"] == PeriodState.UNDER_REVIEW
    event = PeriodEvent.objects.get(period=first_quarter, action=PeriodAction.SENT_FOR_REVIEW)
    assert event.by == secretary


@pytest.mark.parametrize("persona", ["commission", "reporter", "manager", "admin_user"])
def test_only_the_secretary_sends_for_review(api, first_quarter, persona):
    response = post(api(persona), f"{PERIODS}{first_quarter.pk}/send-for-review/")

    assert response.status_code == 403
    first_quarter.refresh_from_db()
    assert first_quarter.state == PeriodState.OPEN


def test_another_bodys_period_is_not_found(api, other_program_content):
    period = other_program_content.periods[0]

    for action in ("send-for-review", "open-early", "conclusion", "approve", "reopen"):
        assert post(api("secretary"), f"{PERIODS}{period.pk}/{action}/").status_code == 404


def test_a_future_quarter_is_opened_early_once(api, program, secretary):
    future = ReportingPeriodFactory(
        program=program, kind=PeriodKind.QUARTER, year=timezone.localdate().year + 2, number=1
    )
    client = api("secretary")

    first = post(client, f"{PERIODS}{future.pk}/open-early/")
    again = post(client, f"{PERIODS}{future.pk}/open-early/")

    assert first.status_code == 200
    future.refresh_from_db()
    assert future.opened_early_on == timezone.localdate()
    assert again.status_code == 400
    assert PeriodEvent.objects.filter(period=future, action=PeriodAction.OPENED_EARLY, by=secretary).count() == 1


def test_the_commission_writes_the_conclusion_and_a_reporter_may_not(api, first_quarter):
    refused = post(api("reporter"), f"{PERIODS}{first_quarter.pk}/conclusion/", {"conclusion": "Чуже"})
    saved = post(api("commission"), f"{PERIODS}{first_quarter.pk}/conclusion/", {"conclusion": "  Виконано.  "})

    assert refused.status_code == 403
    assert saved.status_code == 200
    assert saved.json()["conclusion"] == "Виконано."


def test_approval_with_gaps_needs_the_reason_the_page_asks_for(api, first_quarter, secretary, commission):
    period_send_for_review(user=secretary, period=first_quarter)
    decision = approval_decision(first_quarter)
    client = api("commission")

    without = post(client, f"{PERIODS}{first_quarter.pk}/approve/", {"decision": decision.pk})
    approved = post(
        client, f"{PERIODS}{first_quarter.pk}/approve/", {"decision": decision.pk, "incomplete_reason": GAPS_ACCEPTED}
    )

    assert without.status_code == 400
    assert "incomplete_reason" in without.json()["fields"]
    assert approved.status_code == 200
    assert approved.json()["state"] == PeriodState.APPROVED
    assert approved.json()["approved_with_gaps"] == GAPS_ACCEPTED
    assert approved.json()["approval_decision"] == decision.pk


def test_a_decision_about_another_period_does_not_approve_this_one(api, first_quarter, second_quarter, secretary):
    period_send_for_review(user=secretary, period=first_quarter)
    other = approval_decision(second_quarter)

    response = post(
        api("commission"),
        f"{PERIODS}{first_quarter.pk}/approve/",
        {"decision": other.pk, "incomplete_reason": GAPS_ACCEPTED},
    )

    assert response.status_code == 400
    assert "decision" in response.json()["fields"]
    first_quarter.refresh_from_db()
    assert first_quarter.state == PeriodState.UNDER_REVIEW


def test_reopening_needs_a_reason_which_the_history_keeps(api, first_quarter, secretary):
    period_send_for_review(user=secretary, period=first_quarter)
    period_approve(
        user=secretary, period=first_quarter, decision=approval_decision(first_quarter), incomplete_reason="x"
    )
    client = api("secretary")

    without = post(client, f"{PERIODS}{first_quarter.pk}/reopen/", {"reason": ""})
    reopened = post(client, f"{PERIODS}{first_quarter.pk}/reopen/", {"reason": "Уточнення УКЕС"})

    assert without.status_code == 400
    assert "reason" in without.json()["fields"]
    assert reopened.json()["state"] == PeriodState.OPEN
    assert reopened.json()["approval_decision"] is None
    assert PeriodEvent.objects.get(period=first_quarter, action=PeriodAction.REOPENED).reason == "Уточнення УКЕС"


# --- evaluations ---------------------------------------------------------------------------------------------------


def test_the_commission_evaluates_an_entry_and_evaluating_again_changes_it(api, program_content, commission):
    entry = program_content.entries["unit_quarter"]
    client = api("commission")

    created = post(client, "/api/v1/evaluations/", {"entry": entry.pk, **GRADES, "comment": " Добре "})
    changed = post(client, "/api/v1/evaluations/", {"entry": entry.pk, **GRADES, "timeliness": Grade.NOT_MET})

    assert created.status_code == 201
    assert created.json()["comment"] == "Добре"
    assert changed.status_code == 200
    evaluation = Evaluation.objects.get(entry=entry)
    assert (evaluation.timeliness, evaluation.evaluated_by) == (Grade.NOT_MET, commission)
    assert evaluation.history.count() == 2


@pytest.mark.parametrize("persona", ["reporter", "manager", "officer"])
def test_those_who_do_not_evaluate_are_refused(api, program_content, persona):
    entry = program_content.entries["unit_quarter"]

    response = post(api(persona), "/api/v1/evaluations/", {"entry": entry.pk, **GRADES})

    assert response.status_code == 403
    assert not Evaluation.objects.filter(entry=entry).exists()


def test_an_approved_period_takes_no_evaluation(api, program_content, first_quarter, secretary):
    period_send_for_review(user=secretary, period=first_quarter)
    period_approve(
        user=secretary, period=first_quarter, decision=approval_decision(first_quarter), incomplete_reason="x"
    )

    response = post(
        api("commission"), "/api/v1/evaluations/", {"entry": program_content.entries["unit_quarter"].pk, **GRADES}
    )

    assert response.status_code == 403


# --- a reporter's change sends a submitted entry back to draft, as the entry page does --------------------------


def test_a_reporters_patch_sends_a_submitted_entry_back_to_draft(api, program_content):
    entry = program_content.entries["unit_quarter"]
    assert entry.state == EntryState.SUBMITTED

    response = api("reporter").patch(
        f"/api/v1/execution-entries/{entry.pk}/", {"version": entry.version, "narrative": "Уточнено"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == EntryState.DRAFT
    assert response.json()["submitted_at"] is None


def test_the_secretarys_patch_keeps_a_submitted_entry_submitted_as_the_grid_does(api, program_content):
    entry = program_content.entries["unit_quarter"]

    response = api("secretary").patch(
        f"/api/v1/execution-entries/{entry.pk}/", {"version": entry.version, "narrative": "Уточнено"}, format="json"
    )

    assert response.json()["state"] == EntryState.SUBMITTED


# --- the order of evidence -----------------------------------------------------------------------------------------


def test_a_reporter_moves_a_document_first_and_the_sentence_follows(api, program_content):
    entry = program_content.entries["unit_quarter"]
    later = EvidenceFactory(entry=entry, kind=EvidenceKind.PROTOCOL, number="2", issued_on=dt.date(2023, 9, 29))
    later.position = 9
    later.save()
    version = entry.version
    client = api("reporter")

    response = post(client, f"/api/v1/evidence/{later.pk}/move/", {"position": 1})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [later.pk, *[i.pk for i in entry.evidence.exclude(pk=later.pk)]]
    assert [item["position"] for item in response.json()] == [1, 2]
    entry.refresh_from_db()
    assert entry.version == version + 1
    sentence = client.get(f"/api/v1/execution-entries/{entry.pk}/").json()["sentence"]
    assert sentence.index("протокол № 2") < sentence.lower().index("лист")


def test_documents_of_a_locked_period_keep_their_order(api, program_content, first_quarter, secretary):
    entry = program_content.entries["unit_quarter"]
    second = EvidenceFactory(entry=entry, kind=EvidenceKind.PROTOCOL, number="2")
    period_send_for_review(user=secretary, period=first_quarter)

    response = post(api("reporter"), f"/api/v1/evidence/{second.pk}/move/", {"position": 1})

    assert response.status_code == 403
    second.refresh_from_db()
    assert second.position != 1


# --- lists cost the same queries for many rows as for few ---------------------------------------------------------


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("endpoint", ["evaluations", "evidence", "reporting-periods"])
def test_review_lists_cost_as_many_queries_for_many_rows_as_for_few(
    api, program_content, endpoint, django_assert_max_num_queries
):
    client = api("secretary")
    url = f"/api/v1/{endpoint}/"
    Evaluation.objects.create(entry=program_content.entries["unit_quarter"], **GRADES)  # one row of each to start
    baseline = queries_of(client, url)
    measure = program_content.measures["unit_year"]
    for year in range(2030, 2070):
        period = ReportingPeriodFactory(program=program_content.program, kind=PeriodKind.YEAR, year=year)
        entry = ExecutionEntryFactory(measure=measure, period=period)
        EvidenceFactory(entry=entry, kind=EvidenceKind.LETTER)
        Evaluation.objects.create(entry=entry, **GRADES)

    with django_assert_max_num_queries(baseline):
        response = client.get(url)

    assert response.json()["count"] >= 40
