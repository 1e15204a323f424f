"""The everyday entry save in one statement (reports.execution.services._write_in_one_statement), and every case
where that statement writes nothing and the checked path decides: the answers are the checked path's, whatever the
caller read.

The caller's period object is read before the save, as the grid's view reads it; the tests change the stored period
after that read, as another person would between the two.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.concurrency import ConcurrentEditError
from core.roles import Role
from reports.choices import EntryState, ExecutionStatus, PeriodState
from reports.execution.models import ExecutionEntry, ReportingPeriod
from reports.execution.period_services import period_send_for_review
from reports.execution.services import PeriodLockedError, entry_edit, entry_save_draft
from tests.factories import ReportingPeriodFactory
from tests.reports.conftest import approval_decision

pytestmark = pytest.mark.django_db(transaction=True)


def _read_period(entry: ExecutionEntry) -> ReportingPeriod:
    """The period as a view reads it before the save, with its program."""
    return ReportingPeriod.objects.select_related("program").get(pk=entry.period_id)


def test_a_save_writes_the_entry_and_a_history_row_that_copies_it_and_names_who_saved(login, program_content):
    entry = program_content.entries["unit_quarter"]
    before = entry.history.count()

    response = login("secretary").post(
        reverse("reports:grid-save", args=[entry.period_id, entry.measure_id]),
        {"version": entry.version, "narrative": "Перевірено 14 кандидатів"},
        HTTP_X_REQUESTED_WITH="fetch",
    )

    assert response.status_code == 200, response.content
    saved = ExecutionEntry.objects.get(pk=entry.pk)
    assert (saved.narrative, saved.version, saved.state) == ("Перевірено 14 кандидатів", entry.version + 1, "submitted")
    assert saved.updated_by.username == "secretary"
    assert saved.updated_at > entry.updated_at
    assert entry.history.count() == before + 1
    row = entry.history.latest()
    # Every column but the list's sort key, which is not data and is left out of the history (measures.places).
    copied = [field.attname for field in ExecutionEntry._meta.concrete_fields if field.attname != "measure_place"]
    assert {name: getattr(row, name) for name in copied} == {name: getattr(saved, name) for name in copied}
    assert (row.history_type, row.history_user, row.history_change_reason) == ("~", saved.updated_by, None)
    assert row.history_date == saved.updated_at


def test_a_units_draft_save_sends_a_submitted_entry_back_to_draft(reporter, program_content):
    entry = program_content.entries["unit_quarter"]
    assert entry.state == EntryState.SUBMITTED

    saved = entry_save_draft(
        user=reporter,
        measure=entry.measure,
        period=_read_period(entry),
        changes={"narrative": "Перевірено 15 кандидатів"},
        expected_version=entry.version,
    )

    stored = ExecutionEntry.objects.get(pk=entry.pk)
    assert (saved.state, stored.state, stored.submitted_at, stored.submitted_by) == ("draft", "draft", None, None)
    assert stored.version == saved.version == entry.version + 1


def _approve(period: ReportingPeriod) -> None:
    period_send_for_review(user=period.program.organisation.memberships.get(role=Role.SECRETARY).user, period=period)
    ReportingPeriod.objects.filter(pk=period.pk).update(
        state=PeriodState.APPROVED, approval_decision=approval_decision(period), approved_at=timezone.now()
    )


def _read_as_approved(period: ReportingPeriod) -> None:
    period.state = PeriodState.APPROVED  # the caller read it approved; it has been reopened since


def _send_for_review(period: ReportingPeriod) -> None:
    ReportingPeriod.objects.filter(pk=period.pk).update(state=PeriodState.UNDER_REVIEW)


@pytest.mark.parametrize(
    ("persona", "entry_name", "after_reading", "changes", "version_delta", "refusal"),
    [
        # The entry was saved by someone else after the caller opened it.
        ("secretary", "unit_quarter", None, {"narrative": "нове"}, -1, ConcurrentEditError),
        # The period was approved after the caller read it: locked.
        ("secretary", "unit_quarter", _approve, {"narrative": "нове"}, 0, PeriodLockedError),
        # The caller read it approved, but it was reopened since: the save goes through.
        ("secretary", "unit_quarter", _read_as_approved, {"narrative": "нове"}, 0, None),
        # Sent for review after the caller read it: the secretary may still correct, a unit may not.
        ("secretary", "unit_quarter", _send_for_review, {"narrative": "нове"}, 0, None),
        ("reporter", "unit_quarter", _send_for_review, {"narrative": "нове"}, 0, PeriodLockedError),
        # A field the grid does not edit, a status that does not exist.
        ("secretary", "unit_quarter", None, {"state": "submitted"}, 0, ValidationError),
        ("secretary", "unit_quarter", None, {"status": "forgotten"}, 0, ValidationError),
        # A unit that does not answer for the measure.
        ("reporter", "other_half", None, {"narrative": "нове"}, 0, PermissionDenied),
    ],
)
def test_what_the_statement_does_not_write_the_checked_path_refuses_or_saves(
    request, program_content, persona, entry_name, after_reading, changes, version_delta, refusal
):
    user = request.getfixturevalue(persona)
    entry = program_content.entries[entry_name]
    history = entry.history.count()
    period = _read_period(entry)
    if after_reading is not None:
        after_reading(period)

    def save() -> ExecutionEntry:
        return entry_edit(
            user=user,
            measure=entry.measure,
            period=period,
            changes=changes,
            expected_version=entry.version + version_delta,
        )

    if refusal is None:
        save()
    else:
        with pytest.raises(refusal):
            save()

    saved = refusal is None
    stored = ExecutionEntry.objects.get(pk=entry.pk)
    assert (stored.narrative == "нове") is saved
    assert stored.version == entry.version + saved
    assert entry.history.count() == history + saved


def test_a_unit_that_read_a_quarter_as_opened_early_is_refused_once_the_opening_is_withdrawn(reporter, program_content):
    today = timezone.localdate()
    future = ReportingPeriodFactory(program=program_content.program, year=today.year + 1, opened_early_on=today)
    measure = program_content.measures["unit_quarter"]
    entry = ExecutionEntry.objects.create(
        measure=measure, period=future, status=ExecutionStatus.IN_PROGRESS, narrative="Триває"
    )
    read = ReportingPeriod.objects.select_related("program").get(pk=future.pk)
    ReportingPeriod.objects.filter(pk=future.pk).update(opened_early_on=None)

    with pytest.raises(PeriodLockedError):
        entry_save_draft(
            user=reporter, measure=measure, period=read, changes={"narrative": "нове"}, expected_version=entry.version
        )

    assert ExecutionEntry.objects.get(pk=entry.pk).narrative == "Триває"


def test_the_first_save_of_a_measure_without_an_entry_creates_it(secretary, program_content):
    measure = program_content.measures["unit_year"]
    period = program_content.periods[0]

    saved = entry_edit(
        user=secretary,
        measure=measure,
        period=ReportingPeriod.objects.select_related("program").get(pk=period.pk),
        changes={"status": ExecutionStatus.IN_PROGRESS, "narrative": "Триває"},
        expected_version=0,
    )

    assert ExecutionEntry.objects.get(measure=measure, period=period).pk == saved.pk
    assert saved.history.count() == 1


def test_a_cell_of_a_measure_of_another_program_answers_404(login, program_content, other_program_content):
    entry = program_content.entries["unit_quarter"]
    foreign = other_program_content.entries["unit_quarter"]
    client = login("secretary")

    for period_pk, measure_pk in [(entry.period_id, foreign.measure_id), (foreign.period_id, entry.measure_id)]:
        response = client.post(
            reverse("reports:grid-save", args=[period_pk, measure_pk]),
            {"version": entry.version, "narrative": "нове"},
            HTTP_X_REQUESTED_WITH="fetch",
        )
        assert response.status_code == 404
    assert ExecutionEntry.objects.get(pk=entry.pk).narrative == entry.narrative
