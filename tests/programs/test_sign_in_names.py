"""The sign-in name is matched without regard to case, and an e-mail address signs in its account (issue 17,
defect 2); accounts that differ only by case are not guessed between."""

from __future__ import annotations

import pytest
from django.test import Client

from programs.people import person_invite
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


def signed_in_as(typed: str, password: str = PASSWORD):
    response = Client().post("/accounts/login/", {"username": typed, "password": password})
    if response.status_code != 302:
        return None
    return response.wsgi_request.user.get_username()


@pytest.fixture
def invited_secretary():
    return UserFactory(username="secretary@body.gov.ua", email="secretary@body.gov.ua", password=PASSWORD)


@pytest.mark.parametrize(
    ("typed", "password", "account"),
    [
        ("secretary@body.gov.ua", PASSWORD, "secretary@body.gov.ua"),
        ("Secretary@Body.gov.ua", PASSWORD, "secretary@body.gov.ua"),
        ("SECRETARY@BODY.GOV.UA", PASSWORD, "secretary@body.gov.ua"),
        ("  Secretary@Body.gov.ua ", PASSWORD, "secretary@body.gov.ua"),
        ("Secretary@Body.gov.ua", "wrong password", None),
        ("secretary@body.gov", PASSWORD, None),
    ],
)
def test_an_invited_account_signs_in_with_its_address_in_any_case(invited_secretary, typed, password, account):
    assert signed_in_as(typed, password) == account


@pytest.mark.parametrize("typed", ["o.kovalenko", "O.Kovalenko", "olena@dms.gov.ua", "Olena@DMS.gov.ua"])
def test_an_account_with_a_short_name_signs_in_with_the_name_or_its_address(typed):
    UserFactory(username="o.kovalenko", email="olena@dms.gov.ua", password=PASSWORD)

    assert signed_in_as(typed) == "o.kovalenko"


@pytest.mark.parametrize(
    ("typed", "account"),
    [
        ("Officer", "Officer"),  # the exact spelling signs in its own account
        ("officer", "officer"),
        ("OFFICER", None),  # matches both only case-insensitively: neither is guessed
    ],
)
def test_accounts_differing_only_by_case_sign_in_only_by_their_exact_name(typed, account):
    UserFactory(username="Officer", email="", password=PASSWORD)
    UserFactory(username="officer", email="", password=PASSWORD)

    assert signed_in_as(typed) == account


def test_an_address_shared_by_two_accounts_signs_in_neither():
    UserFactory(username="first", email="office@body.gov.ua", password=PASSWORD)
    UserFactory(username="second", email="Office@Body.gov.ua", password=PASSWORD)

    assert signed_in_as("office@body.gov.ua") is None


def test_inviting_an_address_in_another_case_reuses_the_account(organisation, admin_user, invited_secretary):
    sent = person_invite(
        organisation=organisation, email="Secretary@BODY.gov.ua", roles=["secretary"], actor=admin_user
    )

    assert sent.invitation.user == invited_secretary
    assert sent.invitation.email == "secretary@body.gov.ua"
