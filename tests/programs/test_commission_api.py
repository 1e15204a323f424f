"""The commission over the API: members, meetings with attendees, agenda items and decisions, with the pages' rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.choices import CommissionRole, DecisionKind, Vote
from programs.models import Commission, CommissionMember, MemberVote
from tests.factories import CommissionFactory, CommissionMemberFactory, MeetingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def post(client, path, data):
    return client.post(f"{API}{path}", data, format="json")


def test_the_secretary_sets_up_the_commission_once(api, organisation):
    client = api("secretary")

    created = post(client, "commissions/", {"organisation": organisation.pk, "name": "Комісія", "established_by": ""})
    again = post(client, "commissions/", {"organisation": organisation.pk, "name": "Друга"})

    assert created.status_code == 201
    assert again.status_code == 400
    assert "organisation" in again.json()["fields"]
    assert Commission.objects.get(organisation=organisation).name == "Комісія"


def test_a_stale_commission_version_is_a_conflict(api, commission_body):
    client = api("secretary")
    url = f"{API}commissions/{commission_body.pk}/"
    client.patch(url, {"version": commission_body.version, "name": "Перша"}, format="json")

    response = client.patch(url, {"version": commission_body.version, "name": "Друга"}, format="json")

    assert response.status_code == 409


def test_a_member_is_added_with_the_history_naming_who_added_them(api, commission_body, secretary):
    response = post(
        api("secretary"),
        "commission-members/",
        {"commission": commission_body.pk, "full_name": "Петренко Олена", "role": CommissionRole.MEMBER},
    )

    assert response.status_code == 201
    member = CommissionMember.objects.get(pk=response.json()["id"])
    assert member.history.get().history_user == secretary


def test_a_second_current_chair_is_refused_next_to_the_role(api, commission_body):
    response = post(
        api("secretary"),
        "commission-members/",
        {"commission": commission_body.pk, "full_name": "Друга голова", "role": CommissionRole.CHAIR},
    )

    assert response.status_code == 400
    assert "role" in response.json()["fields"]


def test_a_member_account_must_be_a_person_of_the_body_or_above(api, commission_body, outsider, manager):
    client = api("secretary")
    data = {"commission": commission_body.pk, "full_name": "Хтось", "role": CommissionRole.MEMBER}

    stranger = post(client, "commission-members/", {**data, "user": outsider.pk})
    colleague = post(client, "commission-members/", {**data, "user": manager.pk})

    assert stranger.status_code == 400
    assert "user" in stranger.json()["fields"]
    assert colleague.status_code == 201


def test_a_meeting_counts_only_members_on_its_day_as_attendees(api, commission_body):
    former = CommissionMemberFactory(
        commission=commission_body,
        role=CommissionRole.MEMBER,
        since=dt.date(2019, 1, 1),
        until=dt.date(2020, 1, 1),
        full_name="Колишній",
    )
    client = api("secretary")
    data = {"commission": commission_body.pk, "held_on": "2023-09-29", "format": "in_person"}

    refused = post(client, "meetings/", {**data, "attendees": [former.pk]})
    created = post(client, "meetings/", {**data, "attendees": [m.pk for m in commission_body.voting[:3]]})

    assert refused.status_code == 400
    assert "attendees" in refused.json()["fields"]
    assert created.status_code == 201
    assert created.json()["number"] == 1  # the next number of the year, as the page gives
    assert len(created.json()["attendees"]) == 3


def test_a_decision_approving_a_report_is_recorded_with_the_votes(api, meeting, program_content):
    client = api("secretary")
    period = program_content.periods[0]
    item = post(client, "agenda-items/", {"meeting": meeting.pk, "title": "Про звіт за І квартал"})
    chair = meeting.attendees.get(role=CommissionRole.CHAIR)

    response = post(
        client,
        f"agenda-items/{item.json()['id']}/decision/",
        {
            "decided": "Затвердити звіт.",
            "decision_kind": DecisionKind.APPROVE_PERIOD_REPORT,
            "period": period.pk,
            "votes": [{"member": chair.pk, "vote": Vote.FOR}],
        },
    )

    assert item.status_code == 201
    assert response.status_code == 200
    assert response.json()["period"] == period.pk
    assert response.json()["votes"] == [{"member": chair.pk, "vote": Vote.FOR}]
    # The approval endpoint of the period now offers this decision.
    assert client.get(f"{API}agenda-items/", {"period": period.pk}).json()["count"] == 1


def test_no_decision_without_a_quorum(api, commission_body):
    meeting = MeetingFactory(commission=commission_body, number=3, held_on=dt.date(2023, 12, 1))
    meeting.attendees.set(commission_body.voting[:1])
    client = api("secretary")
    item = post(client, "agenda-items/", {"meeting": meeting.pk, "title": "Питання"})

    response = post(client, f"agenda-items/{item.json()['id']}/decision/", {"decided": "Вирішили."})

    assert response.status_code == 400
    assert not MemberVote.objects.exists()


def test_the_commission_is_read_by_program_readers_and_changed_by_its_editors(api, meeting):
    item = meeting.items.create(position=1, title="Питання")

    assert api("reporter").get(f"{API}meetings/{meeting.pk}/").status_code == 404
    assert api("manager").get(f"{API}meetings/{meeting.pk}/").status_code == 200
    assert post(api("manager"), f"agenda-items/{item.pk}/decision/", {"decided": "x"}).status_code == 403
    assert post(api("commission"), "agenda-items/", {"meeting": meeting.pk, "title": "x"}).status_code == 403


def test_another_bodys_commission_is_not_found_and_cannot_be_named(api, other_organisation):
    theirs = CommissionFactory(organisation=other_organisation)
    member = CommissionMemberFactory(commission=theirs, role=CommissionRole.CHAIR)
    client = api("secretary")

    assert client.get(f"{API}commissions/{theirs.pk}/").status_code == 404
    assert client.patch(f"{API}commission-members/{member.pk}/", {"version": 1}, format="json").status_code == 404
    named = post(client, "commission-members/", {"commission": theirs.pk, "full_name": "x", "role": "member"})
    assert named.status_code == 400
    assert theirs.members.count() == 1


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("endpoint", ["commissions", "commission-members", "meetings", "agenda-items"])
def test_the_lists_cost_as_many_queries_for_many_rows_as_for_few(
    api, meeting, endpoint, django_assert_max_num_queries, parent_secretary
):
    client = api("parent_secretary")  # a body above reads the commissions of the bodies below
    meeting.items.create(position=1, title="Питання")
    baseline = queries_of(client, f"{API}{endpoint}/")
    for number in range(40):
        body = OrganisationFactory(parent=meeting.commission.organisation.parent)
        commission = CommissionFactory(organisation=body)
        member = CommissionMemberFactory(commission=commission, role=CommissionRole.CHAIR)
        held = MeetingFactory(commission=commission, number=number + 1)
        held.attendees.set([member])
        held.items.create(position=1, title="Питання")

    with django_assert_max_num_queries(baseline):
        response = client.get(f"{API}{endpoint}/")

    assert response.json()["count"] >= 40


@pytest.mark.parametrize(
    ("user", "path"), [("secretary", "/api/v1/agenda-items/"), ("admin_user", "/api/v1/invitations/")]
)
def test_the_browsable_api_draws_viewsets_without_a_create_form(login, organisation, secretary, admin_user, user, path):
    response = login(user).get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
