"""The commission: members and roles, meetings with attendees, the quorum, decisions and votes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from programs.choices import CommissionRole, DecisionKind, RevisionStatus, Vote
from programs.commission_services import (
    agenda_item_create,
    agenda_item_record_decision,
    commission_member_save,
    meeting_quorum,
    meeting_save,
)
from programs.models import CommissionMember, Meeting, MemberVote
from tests.factories import CommissionMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def test_a_second_current_chair_is_refused_next_to_the_role_in_the_form(login, organisation, commission_body):
    response = login("secretary").post(
        reverse("programs:member-create", args=[organisation.pk]),
        {"full_name": "Петренко Олена Іванівна", "position": "заступник", "role": CommissionRole.CHAIR},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "already has a current chair" in response.context["form"].errors["role"][0]
    assert "Петренко Олена Іванівна" in response.content.decode()
    assert not CommissionMember.objects.filter(full_name="Петренко Олена Іванівна").exists()


def test_a_new_chair_is_accepted_once_the_previous_term_has_ended(secretary, commission_body):
    chair = commission_body.voting[0]
    commission_member_save(
        user=secretary,
        commission=commission_body,
        data={"until": dt.date(2024, 1, 31)},
        member=chair,
        expected_version=chair.version,
    )

    new_chair = commission_member_save(
        user=secretary,
        commission=commission_body,
        data={"full_name": "Новий Голова", "role": CommissionRole.CHAIR, "since": dt.date(2024, 2, 1)},
    )

    assert new_chair.pk is not None


def test_a_term_ending_before_it_starts_is_refused_next_to_the_end_date(login, organisation, commission_body):
    response = login("secretary").post(
        reverse("programs:member-create", args=[organisation.pk]),
        {"full_name": "Іваненко", "role": CommissionRole.MEMBER, "since": "2024-05-01", "until": "2024-01-01"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["until"]


def test_membership_changes_are_kept_and_shown_on_the_members_page(login, secretary, commission_body):
    member = commission_body.voting[2]
    response = login("secretary").post(
        reverse("programs:member-edit", args=[member.pk]),
        {
            "full_name": member.full_name,
            "position": member.position,
            "role": CommissionRole.DEPUTY,
            "since": "2023-01-10",
            "version": member.version,
        },
    )
    assert response.status_code == 302

    content = login("commission").get(reverse("programs:member-edit", args=[member.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = content.content.decode()

    assert "History of changes" in text
    assert "<del>Member</del>" in text
    assert "<ins>Deputy chair</ins>" in text
    assert member.history.first().history_user == secretary


def test_the_quorum_counts_voting_members_present_and_ignores_the_expert(meeting, commission_body):
    expert = commission_body.members.get(role=CommissionRole.EXPERT)
    meeting.attendees.add(expert)

    assert meeting_quorum(meeting) == (3, 5, True)


def test_a_decision_without_a_quorum_is_refused_with_the_counts(secretary, meeting, commission_body):
    meeting.attendees.set(commission_body.voting[:2])
    item = agenda_item_create(user=secretary, meeting=meeting, title="Про звіт")

    with pytest.raises(ValidationError, match="2 of 5"):
        agenda_item_record_decision(item=item, user=secretary, decided="Затвердити")

    item.refresh_from_db()
    assert item.decided == ""


def test_the_decision_page_shows_the_missing_quorum_and_keeps_the_typed_decision(
    login, secretary, meeting, commission_body
):
    meeting.attendees.set(commission_body.voting[:1])
    item = agenda_item_create(user=secretary, meeting=meeting, title="Про звіт")

    response = login("secretary").post(
        reverse("programs:agenda-item-decision", args=[item.pk]),
        {"decided": "Інформацію взяти до відома", "decision_kind": DecisionKind.GENERAL},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    content = response.content.decode()

    assert response.status_code == 400
    assert "There is no quorum: 1 of 5" in content
    assert "Інформацію взяти до відома" in content


def test_a_decision_records_heard_decided_and_the_votes_of_attendees(login, secretary, meeting, commission_body):
    item = agenda_item_create(user=secretary, meeting=meeting, title="Про стан виконання програми")
    chair, secretary_member, member = commission_body.voting[:3]

    response = login("secretary").post(
        reverse("programs:agenda-item-decision", args=[item.pk]),
        {
            "heard": "Секретаря Комісії про стан виконання",
            "decided": "Інформацію взяти до відома",
            "decision_kind": DecisionKind.GENERAL,
            f"vote_{chair.pk}": Vote.FOR,
            f"vote_{secretary_member.pk}": Vote.FOR,
            f"vote_{member.pk}": Vote.ABSTAIN,
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.heard, item.decided) == ("Секретаря Комісії про стан виконання", "Інформацію взяти до відома")
    assert dict(MemberVote.objects.filter(item=item).values_list("member_id", "vote")) == {
        chair.pk: Vote.FOR,
        secretary_member.pk: Vote.FOR,
        member.pk: Vote.ABSTAIN,
    }


def test_a_member_who_was_absent_cannot_vote(secretary, meeting, commission_body):
    item = agenda_item_create(user=secretary, meeting=meeting, title="Про звіт")
    absent = commission_body.voting[4]

    with pytest.raises(ValidationError, match="present at the meeting"):
        agenda_item_record_decision(item=item, user=secretary, decided="Так", votes={absent.pk: Vote.FOR})


def test_a_report_decision_names_a_period_of_the_organisations_program(secretary, meeting, program, other_program):
    item = agenda_item_create(user=secretary, meeting=meeting, title="Про звіт за І квартал")
    foreign = other_program.periods.first()

    with pytest.raises(ValidationError) as refused:
        agenda_item_record_decision(
            item=item,
            user=secretary,
            decided="Затвердити",
            decision_kind=DecisionKind.APPROVE_PERIOD_REPORT,
            period=foreign,
        )
    assert "period" in refused.value.message_dict

    own = program.periods.first()
    agenda_item_record_decision(
        item=item, user=secretary, decided="Затвердити", decision_kind=DecisionKind.APPROVE_PERIOD_REPORT, period=own
    )
    item.refresh_from_db()
    assert item.period == own


def test_a_revision_decision_marks_the_revision_decided_and_cannot_be_taken_twice(secretary, meeting, revision):
    first = agenda_item_create(user=secretary, meeting=meeting, title="Про перегляд")
    agenda_item_record_decision(
        item=first, user=secretary, decided="Так", decision_kind=DecisionKind.APPROVE_REVISION, revision=revision
    )
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DECIDED

    second = agenda_item_create(user=secretary, meeting=meeting, title="Ще раз про перегляд")
    with pytest.raises(ValidationError, match="already decided"):
        agenda_item_record_decision(
            item=second, user=secretary, decided="Так", decision_kind=DecisionKind.APPROVE_REVISION, revision=revision
        )


def test_attendees_must_be_members_on_the_meeting_day(secretary, commission_body):
    former = CommissionMemberFactory(
        commission=commission_body, full_name="Колишній Член", since=dt.date(2020, 1, 1), until=dt.date(2022, 12, 31)
    )

    with pytest.raises(ValidationError, match="Колишній Член"):
        meeting_save(
            user=secretary,
            commission=commission_body,
            data={"held_on": dt.date(2023, 9, 29), "attendees": [former, commission_body.voting[0]]},
        )


def test_a_meeting_takes_the_next_protocol_number_of_its_year(secretary, meeting, commission_body):
    created = meeting_save(
        user=secretary, commission=commission_body, data={"held_on": dt.date(2023, 12, 20), "attendees": []}
    )

    assert created.number == meeting.number + 1


def test_the_secretary_records_a_meeting_with_attendees_in_the_form(login, organisation, commission_body):
    chair, secretary_member, member = commission_body.voting[:3]

    response = login("secretary").post(
        reverse("programs:meeting-create", args=[organisation.pk]),
        {
            "number": "3",
            "held_on": "2023-12-20",
            "format": "online",
            "attendees": [chair.pk, secretary_member.pk, member.pk],
        },
    )

    created = Meeting.objects.get(number=3)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:meeting", args=[created.pk])
    assert set(created.attendees.all()) == {chair, secretary_member, member}


def test_the_meeting_page_shows_the_quorum_and_the_protocol(login, meeting, secretary):
    item = agenda_item_create(user=secretary, meeting=meeting, title="Про стан виконання")
    agenda_item_record_decision(item=item, user=secretary, decided="Взяти до відома", heard="Доповідь секретаря")

    content = login("manager").get(reverse("programs:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = content.content.decode()

    assert "Quorum: 3 of 5 members present." in text
    assert escape("Доповідь секретаря") in text
    assert "Record the decision and votes" not in text  # a manager reads only
