"""Entry, evidence, evaluation and period services: state checks, locking, optimistic locking, history."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from core.concurrency import ConcurrentEditError
from reports.choices import EntryState, EvidenceKind, ExecutionStatus, Grade, PeriodAction, PeriodState
from reports.execution.models import ExecutionEntry, PeriodEvent
from reports.execution.period_services import period_approve, period_remind, period_reopen, period_send_for_review
from reports.execution.services import (
    entry_copy_previous,
    entry_edit,
    entry_save_draft,
    entry_submit,
    evaluation_save,
    evidence_add,
)
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision

pytestmark = pytest.mark.django_db


def test_a_reporter_saves_a_draft_and_submits_it(reporter, program_content, first_quarter):
    measure = program_content.measures["unit_year"]

    entry = entry_save_draft(
        user=reporter,
        measure=measure,
        period=first_quarter,
        changes={"status": ExecutionStatus.IN_PROGRESS, "narrative": "Готуємо семінар."},
        expected_version=0,
    )
    assert entry.state == EntryState.DRAFT
    entry = entry_submit(user=reporter, entry=entry, expected_version=entry.version)

    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    assert entry.submitted_by == reporter
    assert entry.history.count() == 2


def test_a_reporter_cannot_report_on_another_units_measure(reporter, program_content, first_quarter):
    with pytest.raises(PermissionDenied):
        entry_save_draft(
            user=reporter,
            measure=program_content.measures["other_training"],
            period=first_quarter,
            changes={"status": ExecutionStatus.DONE},
            expected_version=0,
        )


def test_the_second_of_two_people_editing_one_entry_is_told_and_nothing_is_overwritten(
    secretary, reporter, program_content, first_quarter
):
    entry = program_content.entries["unit_quarter"]
    opened_version = entry.version
    entry_edit(
        user=secretary,
        measure=entry.measure,
        period=first_quarter,
        changes={"narrative": "Секретар"},
        expected_version=opened_version,
    )

    with pytest.raises(ConcurrentEditError):
        entry_save_draft(
            user=reporter,
            measure=entry.measure,
            period=first_quarter,
            changes={"narrative": "Виконавець"},
            expected_version=opened_version,
        )
    entry.refresh_from_db()
    assert entry.narrative == "Секретар"


def test_a_not_done_measure_cannot_be_submitted_without_reasons_and_next_steps(
    reporter, program_content, first_quarter
):
    entry = entry_save_draft(
        user=reporter,
        measure=program_content.measures["unit_year"],
        period=first_quarter,
        changes={"status": ExecutionStatus.NOT_DONE},
        expected_version=0,
    )

    with pytest.raises(ValidationError) as error:
        entry_submit(user=reporter, entry=entry, expected_version=entry.version)
    assert set(error.value.message_dict) == {"non_execution_reasons", "next_steps"}


def test_units_cannot_write_once_the_period_is_under_review_but_the_secretary_can(
    secretary, reporter, program_content, first_quarter
):
    period_send_for_review(user=secretary, period=first_quarter)
    measure = program_content.measures["unit_year"]

    with pytest.raises(PermissionDenied):
        entry_save_draft(
            user=reporter,
            measure=measure,
            period=first_quarter,
            changes={"status": ExecutionStatus.DONE},
            expected_version=0,
        )
    entry = entry_edit(
        user=secretary,
        measure=measure,
        period=first_quarter,
        changes={"status": ExecutionStatus.DONE},
        expected_version=0,
    )
    assert entry.pk


def test_approval_needs_a_decision_about_this_period(
    secretary, commission, program_content, first_quarter, second_quarter
):
    period_send_for_review(user=secretary, period=first_quarter)
    wrong = approval_decision(second_quarter)

    with pytest.raises(ValidationError):
        period_approve(user=commission, period=first_quarter, decision=wrong)
    first_quarter.refresh_from_db()
    assert first_quarter.state == PeriodState.UNDER_REVIEW


def test_nobody_changes_an_approved_period_until_it_is_reopened_with_a_reason(
    secretary, commission, program_content, first_quarter
):
    period_send_for_review(user=secretary, period=first_quarter)
    period_approve(
        user=commission,
        period=first_quarter,
        decision=approval_decision(first_quarter),
        incomplete_reason=GAPS_ACCEPTED,
    )
    entry = program_content.entries["unit_quarter"]

    with pytest.raises(PermissionDenied):
        entry_edit(
            user=secretary,
            measure=entry.measure,
            period=first_quarter,
            changes={"narrative": "x"},
            expected_version=entry.version,
        )
    with pytest.raises(PermissionDenied):
        evidence_add(user=secretary, entry=entry, data={"kind": EvidenceKind.MEMO, "number": "1"})
    with pytest.raises(PermissionDenied):
        evaluation_save(
            user=commission, entry=entry, timeliness=Grade.MET, completeness=Grade.MET, effectiveness=Grade.MET
        )
    with pytest.raises(ValidationError):
        period_reopen(user=secretary, period=first_quarter, reason="  ")

    period_reopen(user=secretary, period=first_quarter, reason="Уточнення УКЕС")
    entry_edit(
        user=secretary,
        measure=entry.measure,
        period=first_quarter,
        changes={"narrative": "x"},
        expected_version=entry.version,
    )
    reopened = PeriodEvent.objects.get(period=first_quarter, action=PeriodAction.REOPENED)
    assert (reopened.by, reopened.reason) == (secretary, "Уточнення УКЕС")


def test_copying_last_period_starts_a_draft_with_its_text_and_evidence(reporter, program_content, second_quarter):
    measure = program_content.measures["unit_quarter"]

    entry = entry_copy_previous(user=reporter, measure=measure, period=second_quarter)

    assert entry.state == EntryState.DRAFT
    assert entry.narrative == "Перевірено 12 кандидатів"
    assert entry.evidence.count() == 1
    with pytest.raises(ValidationError):
        entry_copy_previous(user=reporter, measure=measure, period=second_quarter)


def test_evidence_renders_in_the_entry_sentence_as_the_seed_writes_it(reporter, program_content, first_quarter):
    entry = entry_save_draft(
        user=reporter,
        measure=program_content.measures["unit_year"],
        period=first_quarter,
        changes={"status": ExecutionStatus.DONE, "narrative": "Проведено семінар."},
        expected_version=0,
    )

    evidence_add(
        user=reporter,
        entry=entry,
        data={"kind": EvidenceKind.LETTER, "issuer": "ВПЗВК", "number": "17/112-23", "issued_on": dt.date(2023, 3, 28)},
    )

    # Inside the sentence the reference takes a small letter, as seed 001 writes «… 300 осіб (листи ВПЗВК …)».
    assert ExecutionEntry.objects.get(pk=entry.pk).sentence() == (
        "Виконано. Проведено семінар (лист ВПЗВК від 28.03.2023 № 17/112-23)."
    )


def test_reminders_are_mailed_to_the_units_mailbox_and_its_reporters(
    settings, eager_tasks, secretary, reporter, reporter_unit, program_content, first_quarter
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reporter_unit.email = "up@example.org"
    reporter_unit.save()

    with pytest.raises(ValidationError):
        period_remind(user=secretary, period=first_quarter, units=[])
    with TestCase.captureOnCommitCallbacks(execute=True):
        period_remind(user=secretary, period=first_quarter, units=[reporter_unit])

    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["reporter@example.org", "up@example.org"]
    assert "УП" in mail.outbox[0].body
