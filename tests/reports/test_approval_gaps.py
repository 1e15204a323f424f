"""Sending for review and approving say what the report lacks; approving it anyway needs a recorded reason, which the
review page and the execution report state.

The small program's І quarter of 2023: «unit_quarter» (УП) is submitted and done, «other_half» (УКЕС) is a draft in
progress, the event-driven measures are due and not reported.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.choices import ExecutionStatus, Grade, PeriodAction, PeriodState
from reports.documents.content import execution_document
from reports.execution.grid import period_gaps, period_grid
from reports.execution.models import ExecutionEntry
from reports.execution.period_services import period_approve, period_send_for_review
from reports.execution.services import evaluation_save
from tests.factories import ExecutionEntryFactory
from tests.reports.conftest import approval_decision

pytestmark = pytest.mark.django_db

REASON = "Звіти УКЕС розглянуто усно на засіданні; письмові буде подано до 20.04.2023"


def gaps_of(period, user):
    return period_gaps(period_grid(user=user, period=period))


def evaluate(entry, user):
    evaluation_save(user=user, entry=entry, timeliness=Grade.MET, completeness=Grade.MET, effectiveness=Grade.MET)


@pytest.fixture
def first(program_content):
    return program_content.periods[0]


def test_the_gaps_name_unsubmitted_entries_by_unit_unevaluated_ones_and_missing_reasons(
    program_content, first, secretary
):
    not_done = ExecutionEntryFactory(
        measure=program_content.measures["shared_event"], period=first, status=ExecutionStatus.NOT_DONE, submitted=True
    )

    gaps = gaps_of(first, secretary)

    by_unit = {unit.abbreviation: {row.measure.pk for row in rows} for unit, rows in gaps.unsubmitted}
    measures = program_content.measures
    # «other_half» is not due before 30.06; the event-driven measures are due every period.
    assert by_unit == {"УКЕС": {measures["other_training"].pk}}
    assert {row.entry.pk for row in gaps.not_evaluated} == {
        program_content.entries["unit_quarter"].pk,
        program_content.entries["other_half"].pk,
        not_done.pk,
    }
    assert [row.entry.pk for row in gaps.without_reasons] == [not_done.pk]
    assert len(gaps.sentences()) == 3


def test_a_complete_report_has_no_gaps_and_is_approved_without_a_reason(program_content, first, secretary, commission):
    for entry in ExecutionEntry.objects.filter(period=first):
        entry.delete()
    grid = period_grid(user=secretary, period=first)
    for row in grid.rows:
        if row.due:
            entry = ExecutionEntryFactory(
                measure=row.measure, period=first, status=ExecutionStatus.DONE, narrative="Зроблено", submitted=True
            )
            evaluate(entry, commission)
    assert not gaps_of(first, secretary)
    period_send_for_review(user=secretary, period=first)

    period = period_approve(user=commission, period=first, decision=approval_decision(first))

    assert period.state == PeriodState.APPROVED
    assert period.approved_with_gaps == ""


def test_approving_an_incomplete_report_without_a_reason_is_refused_with_what_is_missing(
    program_content, first, secretary, commission, english_messages
):
    period_send_for_review(user=secretary, period=first)

    with pytest.raises(ValidationError) as refused:
        period_approve(user=commission, period=first, decision=approval_decision(first))

    message = " ".join(refused.value.message_dict["incomplete_reason"])
    assert "Due entries not submitted, by unit: УКЕС (2), УП (1)." in message
    assert "Entries not evaluated by the commission: 2." in message
    assert "give the reason" in message
    first.refresh_from_db()
    assert first.state == PeriodState.UNDER_REVIEW


def test_approving_with_a_reason_records_it_on_the_period_and_in_its_history(first, secretary, commission):
    period_send_for_review(user=secretary, period=first)

    period = period_approve(user=commission, period=first, decision=approval_decision(first), incomplete_reason=REASON)

    assert period.state == PeriodState.APPROVED
    assert period.approved_with_gaps == REASON
    assert period.events.get(action=PeriodAction.APPROVED).reason == REASON


def test_the_execution_report_states_the_reason(program_content, first, secretary, commission):
    period_send_for_review(user=secretary, period=first)
    decision = approval_decision(first)
    period_approve(user=commission, period=first, decision=decision, incomplete_reason=REASON)
    first.refresh_from_db()

    document = execution_document(program=program_content.program, period=first)

    assert document.approval_note == (
        f"Комісія затвердила цей звіт, попри неповні дані (протокол {decision.meeting}). Причина: {REASON}"
    )


def test_the_review_page_shows_the_gaps_and_never_preselects_an_evaluation(program_content, first, login):
    response = login("commission").get(reverse("reports:review", args=[first.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "data-gaps" in html
    assert "УКЕС" in html
    entry = program_content.entries["unit_quarter"]
    assert f'<select id="timeliness-{entry.pk}" name="timeliness" required><option value="" selected>' in html


def test_the_approval_page_refuses_without_a_reason_beside_the_field_and_keeps_the_choice(first, secretary, login):
    period_send_for_review(user=secretary, period=first)
    decision = approval_decision(first)
    commission = login("commission")

    refused = commission.post(reverse("reports:approve", args=[first.pk]), {"decision": decision.pk})
    approved = commission.post(
        reverse("reports:approve", args=[first.pk]), {"decision": decision.pk, "incomplete_reason": REASON}
    )

    assert refused.status_code == 400
    form = refused.context["approval_form"]
    assert form.errors["incomplete_reason"]
    assert form["decision"].value() == str(decision.pk)
    assert approved.status_code == 302
    first.refresh_from_db()
    assert first.approved_with_gaps == REASON
    page = commission.get(reverse("reports:review", args=[first.pk])).content.decode()
    assert REASON in page


def test_the_api_says_what_the_report_lacks(program_content, first, login):
    response = login("secretary").get(f"/api/v1/reporting-periods/{first.pk}/completeness/")

    body = response.json()
    assert response.status_code == 200
    assert body["complete"] is False
    assert {item["abbreviation"] for item in body["unsubmitted"]} >= {"УКЕС"}
    assert program_content.entries["unit_quarter"].pk in body["not_evaluated"]
    assert body["summary"]


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("anonymous", 401), ("commission", 200)])
def test_the_completeness_endpoint_answers_only_readers_of_the_program(first, login, persona, status):
    assert login(persona).get(f"/api/v1/reporting-periods/{first.pk}/completeness/").status_code == status
