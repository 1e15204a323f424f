"""An approved program changes only through a revision: grounds, deadlines, the deciding meeting, what changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from programs.choices import DecisionKind, ProgramStatus, RevisionStatus
from programs.commission_services import agenda_item_create, agenda_item_record_decision
from programs.models import ProgramRevision
from programs.services import (
    program_revision_close,
    program_revision_open,
    program_section_update,
    program_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def test_an_approved_program_cannot_be_edited_without_a_revision(program, secretary):
    with pytest.raises(ValidationError, match="only through a revision"):
        program_update(program=program, user=secretary, data={"title": "Нова назва"}, expected_version=1)

    program.refresh_from_db()
    assert program.title != "Нова назва"


def test_a_change_under_a_revision_is_saved_and_the_history_names_the_revision(program, secretary, revision):
    program_update(program=program, user=secretary, data={"title": "Нова назва"}, expected_version=1, revision=revision)

    program.refresh_from_db()
    assert program.title == "Нова назва"
    assert program.history.first().history_change_reason == "Revision No. 1"


def test_a_closed_revision_no_longer_allows_changes(program, secretary, revision):
    revision.status = RevisionStatus.REJECTED
    revision.save()

    with pytest.raises(ValidationError):
        program_update(program=program, user=secretary, data={"title": "Інша"}, expected_version=1, revision=revision)


def test_a_section_of_an_approved_program_changes_only_under_a_revision(program, secretary, revision):
    section = program.sections.first()

    with pytest.raises(ValidationError):
        program_section_update(
            section=section, user=secretary, position=1, title="Засади", body="Новий текст", expected_version=1
        )
    program_section_update(
        section=section,
        user=secretary,
        position=1,
        title="Засади",
        body="Новий текст",
        expected_version=1,
        revision=revision,
    )

    section.refresh_from_db()
    assert section.body == "Новий текст"


def test_a_draft_is_edited_directly(program, secretary):
    program.status = ProgramStatus.DRAFT
    program.save()

    program_update(program=program, user=secretary, data={"title": "Чернетка"}, expected_version=1)

    program.refresh_from_db()
    assert program.title == "Чернетка"


def test_a_draft_has_no_revisions(program, secretary):
    program.status = ProgramStatus.DRAFT
    program.save()

    with pytest.raises(ValidationError, match="a draft is simply edited"):
        program_revision_open(program=program, user=secretary, ground="other", ground_arose_on=dt.date(2024, 1, 1))


def test_revisions_are_numbered_per_program(program, secretary):
    first = program_revision_open(program=program, user=secretary, ground="other", ground_arose_on=dt.date(2024, 1, 1))
    second = program_revision_open(
        program=program, user=secretary, ground="legislation", ground_arose_on=dt.date(2024, 2, 1)
    )

    assert (first.number, second.number) == (1, 2)
    assert first.created_by == secretary


def test_approving_changes_needs_the_commissions_decision_the_order_and_a_summary(program, secretary, revision):
    with pytest.raises(ValidationError) as refused:
        program_revision_close(revision=revision, user=secretary, outcome=RevisionStatus.APPROVED)

    assert {"__all__", "order_number", "order_date", "changes_summary"} <= set(refused.value.message_dict)


def test_the_commissions_decision_then_the_order_approve_the_revision(program, secretary, revision, meeting):
    item = agenda_item_create(user=secretary, meeting=meeting, title="Про перегляд Антикорупційної програми")
    agenda_item_record_decision(
        item=item,
        user=secretary,
        decided="Внести зміни до програми",
        decision_kind=DecisionKind.APPROVE_REVISION,
        revision=revision,
    )
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DECIDED

    program_revision_close(
        revision=revision,
        user=secretary,
        outcome=RevisionStatus.APPROVED,
        changes_summary="Додано ризик № 3 та заходи щодо нього",
        order_number="45",
        order_date=dt.date(2024, 3, 1),
    )

    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert (revision.order_number, revision.changes_summary) == ("45", "Додано ризик № 3 та заходи щодо нього")


def test_the_revision_page_shows_deadlines_with_overdue_flags_and_the_deciding_meeting(
    login, program, secretary, revision, meeting
):
    meeting.held_on = dt.date(2024, 2, 28)  # after the three weeks of the seed program
    meeting.protocol_signed_on = dt.date(2024, 2, 29)
    meeting.save()
    item = agenda_item_create(user=secretary, meeting=meeting, title="Про перегляд")
    agenda_item_record_decision(
        item=item,
        user=secretary,
        decided="Внести зміни",
        decision_kind=DecisionKind.APPROVE_REVISION,
        revision=revision,
    )

    response = login("commission").get(reverse("programs:revision", args=[revision.pk]), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()

    assert response.status_code == 200
    assert "01.03.2024" in content  # the head decides within a month of 01.02.2024
    assert "22.02.2024" in content  # the commission meets within three weeks
    assert '<span class="overdue">late</span>' in content  # the meeting
    assert '<span class="overdue">overdue</span>' in content  # no head's decision, and the month has passed
    assert '<span class="on-time">met</span>' in content  # the protocol on the next working day
    assert "Protocol No. 2 of 28.02.2024" in content
    assert escape("Внести зміни") in content
    assert "Edit the revision" not in content  # a commission member reads, the secretary edits


def test_the_secretary_records_grounds_in_the_browser_form_and_lands_on_the_revision(login, program):
    client = login("secretary")

    response = client.post(
        reverse("programs:revision-create", args=[program.pk]),
        {"ground": "nazk_proposals", "ground_arose_on": "2024-01-15", "ground_details": "Лист НАЗК"},
    )

    revision = ProgramRevision.objects.get(program=program)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:revision", args=[revision.pk])
    assert revision.ground_details == "Лист НАЗК"


def test_a_ground_in_the_future_is_refused_next_to_the_field_and_the_text_is_kept(login, program):
    response = login("secretary").post(
        reverse("programs:revision-create", args=[program.pk]),
        {"ground": "nazk_proposals", "ground_arose_on": "2999-01-15", "ground_details": "Лист НАЗК № 5"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["ground_arose_on"]
    assert "Лист НАЗК № 5" in response.content.decode()
