"""The program's lifecycle: every allowed transition, the refused ones with their message, and what is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programs.choices import ProgramStatus as S
from programs.choices import RevisionStatus
from programs.lifecycle import TRANSITIONS, add_working_days, has_quorum, is_locked, revision_deadlines
from programs.models import ProgramStatusChange
from programs.services import program_revision_open, program_transition
from tests.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

ALLOWED = [(source, target) for source, targets in TRANSITIONS.items() for target in targets]
REFUSED = [
    (source, target)
    for source in S.values
    for target in S.values
    if target != source and target not in TRANSITIONS[source]
]
ORDER_DATE = dt.date(2023, 3, 1)


def arguments_for(target: str) -> dict:
    return {"reason": "Пояснення", "document_number": "17", "document_date": ORDER_DATE}


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_every_allowed_transition_moves_the_program_and_records_who_when_and_why(
    organisation, secretary, source, target
):
    program = ProgramFactory(organisation=organisation, status=source)
    if target == S.UNDER_REVISION:
        program_revision_open(program=program, user=secretary, ground="new_risks", ground_arose_on=dt.date(2024, 1, 10))

    change = program_transition(program=program, to_status=target, user=secretary, **arguments_for(target))

    program.refresh_from_db()
    assert program.status == target
    assert (change.from_status, change.to_status, change.changed_by) == (source, target, secretary)
    assert change.reason == "Пояснення"
    assert change.changed_at is not None


@pytest.mark.parametrize(("source", "target"), REFUSED, ids=[f"{s}->{t}" for s, t in REFUSED])
def test_a_transition_outside_the_table_is_refused_with_both_statuses_named(organisation, secretary, source, target):
    program = ProgramFactory(organisation=organisation, status=source)

    with pytest.raises(ValidationError) as refused:
        program_transition(program=program, to_status=target, user=secretary, **arguments_for(target))

    message = refused.value.messages[0]
    assert str(S(source).label) in message
    assert str(S(target).label) in message
    program.refresh_from_db()
    assert program.status == source
    assert not ProgramStatusChange.objects.filter(program=program).exists()


def test_approval_needs_the_order_number_and_date_and_stores_them_on_the_program(organisation, secretary):
    program = ProgramFactory(organisation=organisation, status=S.PUBLIC_DISCUSSION)

    with pytest.raises(ValidationError) as refused:
        program_transition(program=program, to_status=S.APPROVED, user=secretary)
    assert set(refused.value.message_dict) == {"document_number", "document_date"}

    program_transition(
        program=program, to_status=S.APPROVED, user=secretary, document_number="320", document_date=ORDER_DATE
    )
    program.refresh_from_db()
    assert (program.approval_order_number, program.approval_order_date) == ("320", ORDER_DATE)


def test_nazk_agreement_is_stored_on_the_program(organisation, secretary):
    program = ProgramFactory(organisation=organisation, status=S.SUBMITTED)

    program_transition(
        program=program, to_status=S.AGREED, user=secretary, document_number="1234/01", document_date=ORDER_DATE
    )

    program.refresh_from_db()
    assert (program.nazk_agreement_number, program.nazk_agreement_date) == ("1234/01", ORDER_DATE)


def test_a_return_from_nazk_needs_a_reason(organisation, secretary):
    program = ProgramFactory(organisation=organisation, status=S.SUBMITTED)

    with pytest.raises(ValidationError) as refused:
        program_transition(program=program, to_status=S.RETURNED, user=secretary, reason="  ")

    assert "reason" in refused.value.message_dict


def test_a_program_goes_under_revision_only_with_recorded_grounds(organisation, secretary):
    program = ProgramFactory(organisation=organisation, status=S.IN_FORCE)

    with pytest.raises(ValidationError, match="grounds for the revision"):
        program_transition(program=program, to_status=S.UNDER_REVISION, user=secretary)


def test_a_program_returns_in_force_only_when_its_revision_is_closed(organisation, secretary):
    program = ProgramFactory(organisation=organisation, status=S.IN_FORCE)
    revision = program_revision_open(
        program=program, user=secretary, ground="legislation", ground_arose_on=dt.date(2024, 1, 10)
    )
    program_transition(program=program, to_status=S.UNDER_REVISION, user=secretary)

    with pytest.raises(ValidationError, match="Close the open revision"):
        program_transition(program=program, to_status=S.IN_FORCE, user=secretary)

    revision.status = RevisionStatus.REJECTED
    revision.save()
    program_transition(program=program, to_status=S.IN_FORCE, user=secretary)
    program.refresh_from_db()
    assert program.status == S.IN_FORCE


def test_a_document_dated_in_the_future_is_refused(organisation, secretary):
    program = ProgramFactory(organisation=organisation, status=S.DRAFT)

    with pytest.raises(ValidationError) as refused:
        program_transition(
            program=program,
            to_status=S.APPROVED,
            user=secretary,
            document_number="1",
            document_date=timezone.localdate() + dt.timedelta(days=30),
        )

    assert "document_date" in refused.value.message_dict


def test_a_transition_bumps_the_version_so_an_open_edit_form_is_refused(organisation, secretary):
    program = ProgramFactory(organisation=organisation, status=S.DRAFT)

    program_transition(program=program, to_status=S.PUBLIC_DISCUSSION, user=secretary)

    program.refresh_from_db()
    assert program.version == 2


def test_content_is_locked_from_approval_on():
    assert [status for status in S.values if not is_locked(status)] == [S.DRAFT, S.PUBLIC_DISCUSSION, S.RETURNED]


def test_the_seed_deadlines_run_from_the_ground_and_the_protocol_from_the_meeting():
    deadlines = revision_deadlines(
        ground_arose_on=dt.date(2024, 1, 31),
        decision_months=1,
        meeting_weeks=3,
        protocol_working_days=1,
        head_decision_on=None,
        meeting_held_on=dt.date(2024, 2, 23),  # a Friday
        protocol_signed_on=dt.date(2024, 2, 26),
        today=dt.date(2024, 3, 5),
    )

    assert deadlines.head_decision.due == dt.date(2024, 2, 29)
    assert deadlines.head_decision.overdue
    assert deadlines.meeting.due == dt.date(2024, 2, 21)
    assert deadlines.meeting.overdue  # held two days late
    assert deadlines.protocol.due == dt.date(2024, 2, 26)  # the next working day after a Friday
    assert deadlines.protocol.met


def test_working_days_skip_the_weekend():
    assert add_working_days(dt.date(2024, 2, 23), 1) == dt.date(2024, 2, 26)
    assert add_working_days(dt.date(2024, 2, 19), 3) == dt.date(2024, 2, 22)


@pytest.mark.parametrize(("present", "members", "expected"), [(3, 5, True), (2, 4, False), (3, 4, True), (0, 0, False)])
def test_a_quorum_is_more_than_half_of_the_members(present, members, expected):
    assert has_quorum(present=present, members=members) is expected
