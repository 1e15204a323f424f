"""People and roles over the API, for the organisation's administrator: what the people pages do, nothing more."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from programs.choices import PeopleAction
from programs.models import Invitation, Membership, PeopleChange
from tests.conftest import member

pytestmark = pytest.mark.django_db

API = "/api/v1/"
LINK = re.compile(r"https?://\S+(/accounts/invitation/[\w-]+/)")


def post(client, path, data=None):
    return client.post(f"{API}{path}", data or {}, format="json")


def test_the_administrator_invites_and_the_link_goes_by_e_mail_only(token_api, admin_user, organisation):
    response = post(
        token_api(admin_user),
        "invitations/",
        {"organisation": organisation.pk, "email": "Nova@Example.gov.ua", "roles": [Role.MANAGER]},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["roles"], body["state"], body["delivered"]) == (
        "nova@example.gov.ua",
        [Role.MANAGER],
        "pending",
        True,
    )
    link = LINK.search(mail.outbox[0].body).group(1)
    invitation = Invitation.objects.get(pk=body["id"])
    answer = json.dumps(body)
    assert link.split("/")[-2] not in answer
    assert invitation.token_hash not in answer
    assert "user" not in body  # whether the address had an account stays unsaid, as on the page
    assert Client().get(link).status_code == 200


def test_sending_again_replaces_the_link_and_revoking_stops_it(api, organisation, admin_user):
    client = api("admin_user")
    created = post(client, "invitations/", {"organisation": organisation.pk, "email": "a@b.ua", "roles": ["manager"]})
    first = LINK.search(mail.outbox[0].body).group(1)

    resent = post(client, f"invitations/{created.json()['id']}/resend/")
    second = LINK.search(mail.outbox[1].body).group(1)
    revoked = post(client, f"invitations/{created.json()['id']}/revoke/")

    assert resent.status_code == 200
    assert Client().get(first).status_code == 404
    assert revoked.json()["state"] == "revoked"
    assert Client().get(second).status_code == 410
    assert post(client, f"invitations/{created.json()['id']}/revoke/").status_code == 400


def test_a_unit_reporter_is_invited_with_a_unit_of_the_body(api, organisation, reporter_unit, other_organisation):
    from tests.factories import UnitFactory

    foreign = UnitFactory(organisation=other_organisation)
    client = api("admin_user")
    data = {"organisation": organisation.pk, "email": "r@b.ua", "roles": [Role.REPORTER]}

    without = post(client, "invitations/", data)
    foreign_unit = post(client, "invitations/", {**data, "unit": foreign.pk})
    with_unit = post(client, "invitations/", {**data, "unit": reporter_unit.pk})

    assert without.status_code == 400
    assert "unit" in without.json()["fields"]
    assert foreign_unit.status_code == 400
    assert with_unit.status_code == 201


def test_a_role_is_given_to_a_person_of_the_body_and_recorded(api, organisation, manager, admin_user, outsider):
    client = api("admin_user")

    given = post(client, "memberships/", {"organisation": organisation.pk, "user": manager.pk, "role": Role.OFFICER})
    stranger = post(client, "memberships/", {"organisation": organisation.pk, "user": outsider.pk, "role": "manager"})
    twice = post(client, "memberships/", {"organisation": organisation.pk, "user": manager.pk, "role": Role.OFFICER})

    assert given.status_code == 201
    assert given.json()["person"]["id"] == manager.pk
    assert stranger.status_code == 400
    assert "user" in stranger.json()["fields"]
    assert twice.status_code == 400
    assert PeopleChange.objects.get(action=PeopleAction.ROLE_GIVEN).actor == admin_user


def test_position_and_phone_change_and_a_role_is_taken_away(api, organisation, manager):
    membership = Membership.objects.get(user=manager, organisation=organisation)
    client = api("admin_user")

    changed = client.patch(f"{API}memberships/{membership.pk}/", {"phone": "+380441234567"}, format="json")
    taken = client.delete(f"{API}memberships/{membership.pk}/")

    assert changed.json()["phone"] == "+380441234567"
    assert changed.json()["role"] == Role.MANAGER
    assert taken.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_administrator_keeps_the_role(api, organisation, admin_user):
    membership = Membership.objects.get(user=admin_user, role=Role.ADMIN)

    response = api("admin_user").delete(f"{API}memberships/{membership.pk}/")

    assert response.status_code == 400
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_account_is_deactivated_and_activated_again(api, organisation, manager):
    manager.set_password("Kashtan-na-Khreshchatyku-17")
    manager.save()
    membership = Membership.objects.get(user=manager, organisation=organisation)
    client = api("admin_user")

    off = post(client, f"memberships/{membership.pk}/deactivate-account/")
    on = post(client, f"memberships/{membership.pk}/activate-account/")

    assert off.json()["person"]["is_active"] is False
    assert on.json()["person"]["is_active"] is True


def test_nobody_deactivates_their_own_account(api, admin_user):
    membership = Membership.objects.get(user=admin_user)

    assert post(api("admin_user"), f"memberships/{membership.pk}/deactivate-account/").status_code == 400


@pytest.mark.parametrize("persona", ["secretary", "manager", "officer", "reporter", "outsider"])
def test_people_are_the_administrators_alone(api, organisation, manager, persona):
    membership = Membership.objects.get(user=manager, organisation=organisation)
    client = api(persona)

    assert client.get(f"{API}memberships/").json()["count"] == 0
    assert client.get(f"{API}memberships/{membership.pk}/").status_code == 404
    assert post(client, f"memberships/{membership.pk}/deactivate-account/").status_code == 404
    invited = post(client, "invitations/", {"organisation": organisation.pk, "email": "x@y.ua", "roles": ["manager"]})
    assert invited.status_code in (400, 403)  # the organisation unseen (outsider) or seen but not administered
    assert not Invitation.objects.filter(email="x@y.ua").exists()


def test_no_answer_carries_a_password(api, organisation, manager, admin_user):
    manager.set_password("Kashtan-na-Khreshchatyku-17")
    manager.save()

    answer = api("admin_user").get(f"{API}memberships/").content.decode()

    assert "password" not in answer
    assert manager.password not in answer


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("endpoint", ["memberships", "invitations"])
def test_the_lists_cost_as_many_queries_for_many_rows_as_for_few(
    api, organisation, admin_user, reporter_unit, endpoint, django_assert_max_num_queries
):
    from programs.people import person_invite

    client = api("admin_user")
    person_invite(
        organisation=organisation, email="first@b.ua", roles=[Role.REPORTER], unit=reporter_unit, actor=admin_user
    )
    baseline = queries_of(client, f"{API}{endpoint}/")
    for number in range(40):
        member(Role.REPORTER, organisation, unit=reporter_unit, username=f"person{number}")
        person_invite(
            organisation=organisation,
            email=f"p{number}@b.ua",
            roles=[Role.REPORTER],
            unit=reporter_unit,
            actor=admin_user,
        )

    with django_assert_max_num_queries(baseline):
        response = client.get(f"{API}{endpoint}/")

    assert response.json()["count"] >= 40


def test_an_address_too_long_for_an_account_is_refused_with_a_field_error(api, organisation):
    address = "x" * 64 + "@" + "d" * 60 + "." + "e" * 40 + ".gov.ua"

    response = post(
        api("admin_user"),
        "invitations/",
        {"organisation": organisation.pk, "email": address, "roles": [Role.SECRETARY]},
    )

    assert response.status_code == 400
    assert "email" in str(response.json())
    assert not Invitation.objects.exists()
