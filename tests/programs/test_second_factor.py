"""The second factor: who must use it, the code step after the password, enrolment, recovery codes, throttling,
the member's own changes and the administrator's reset (programs/second_factor.py and its middleware)."""

from __future__ import annotations

import re
import time
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from audit.choices import AuditAction
from audit.models import AuditEvent
from core.roles import Role
from programs.choices import PeopleAction
from programs.models import PeopleChange
from programs.permissions import must_use_second_factor
from programs.second_factor import recovery_codes_issue
from programs.second_factor_models import AuthenticatorApp, RecoveryCode, RecoveryCodes, recovery_code_hash
from tests.conftest import member, module_world
from tests.factories import UnitFactory, UserFactory
from tests.second_factor import app_code, app_device, verified_login

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

PASSWORD = "Kashtan-na-Khreshchatyku-17"
HOME = reverse("home")
ENROL = reverse("second-factor-enrol")
VERIFY = reverse("second-factor-verify")
API_PROGRAMS = "/api/v1/programs/"


def signed_in_with_password(user) -> Client:
    """A client past the password step of the real sign-in form, and no further."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.get_username(), "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def person(kind: str, organisation):
    if kind == "staff":
        return UserFactory(is_staff=True, password=PASSWORD)
    if kind == "superuser":
        return UserFactory(is_staff=True, is_superuser=True, password=PASSWORD)
    if kind == Role.REPORTER:
        return member(kind, organisation, unit=UnitFactory(organisation=organisation), password=PASSWORD)
    return member(kind, organisation, password=PASSWORD)


def enrolment_code(user) -> str:
    return app_code(AuthenticatorApp.objects.get(user=user, confirmed=False))


def page_codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code></li>", response.content.decode())


def stored_hashes(user) -> set[str]:
    return set(RecoveryCode.objects.filter(device__user=user).values_list("code_hash", flat=True))


def hashes(codes: list[str]) -> set[str]:
    return {recovery_code_hash(code.replace("-", "")) for code in codes}


# --- who must use it ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "required"),
    [
        (Role.SECRETARY, False),
        (Role.REPORTER, False),
        (Role.COMMISSION, False),
        (Role.MANAGER, False),
        (Role.OFFICER, True),
        (Role.ADMIN, True),
        ("staff", True),
        ("superuser", True),
    ],
)
def test_officers_administrators_and_staff_must_use_a_second_factor_and_others_may(organisation, kind, required):
    user = person(kind, organisation)

    assert must_use_second_factor(user) is required
    response = signed_in_with_password(user).get(HOME)
    if required:
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("kind", [Role.OFFICER, Role.ADMIN, "staff"])
def test_a_sign_in_without_the_second_factor_reaches_no_page_no_session_api_and_no_admin(organisation, kind):
    user = person(kind, organisation)
    client = signed_in_with_password(user)

    for path in [HOME, reverse("programs:list"), reverse("dashboard:index"), reverse("account-security"), "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert unquote(response["Location"]) == f"{ENROL}?next={path}"
    api = client.get(API_PROGRAMS, HTTP_ACCEPT_LANGUAGE="uk")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    assert "другим фактором" in api.json()["message"]
    assert client.get(ENROL).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith(reverse("login"))


def test_an_officer_who_has_a_second_factor_is_asked_for_the_code_and_then_goes_where_they_were_going(officer):
    officer.set_password(PASSWORD)
    officer.save()
    device = app_device(officer)
    client = signed_in_with_password(officer)

    response = client.get(reverse("programs:list"))
    assert response["Location"] == f"{VERIFY}?next=%2Fprograms%2F"
    assert client.get(API_PROGRAMS).status_code == 403
    response = client.post(VERIFY, {"code": app_code(device), "next": "/programs/"})
    assert response.status_code == 302
    assert response["Location"] == "/programs/"
    assert client.get("/programs/").status_code == 200
    assert client.get(API_PROGRAMS).status_code == 200


def test_the_code_step_does_not_send_anyone_to_another_site(officer):
    officer.set_password(PASSWORD)
    officer.save()
    device = app_device(officer)
    client = signed_in_with_password(officer)

    response = client.post(VERIFY, {"code": app_code(device), "next": "https://evil.example/"})
    assert response["Location"] == HOME


# --- enrolment ----------------------------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_then_refuses_a_wrong_code_and_accepts_the_right_one(officer):
    officer.set_password(PASSWORD)
    officer.save()
    client = signed_in_with_password(officer)

    page = client.get(ENROL)
    assert page.status_code == 200
    device = AuthenticatorApp.objects.get(user=officer, confirmed=False)
    html = page.content.decode()
    assert "<svg" in html
    assert " style=" not in html  # the Content-Security-Policy allows no inline style
    secret = device.secret_base32
    shown = re.search(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert shown.replace(" ", "") == secret
    assert client.get(ENROL).content.decode().count(shown) == 1  # reloading keeps the secret already scanned

    wrong = client.post(ENROL, {"code": "000000" if app_code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "Код неправильний" in wrong.content.decode()
    assert client.get(HOME).status_code == 302
    time.sleep(1.1)  # django-otp's throttling: one second after the first wrong code

    right = client.post(ENROL, {"code": app_code(device), "next": "/programs/"})
    assert right.status_code == 200
    codes = page_codes(right)
    assert len(codes) == 10
    assert stored_hashes(officer) == hashes(codes)
    assert 'href="/programs/"' in right.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200
    # Shown once: the enrolment page now leads to the account page, which never lists the codes.
    assert client.get(ENROL)["Location"] == reverse("account-security")
    assert not any(code in client.get(reverse("account-security")).content.decode() for code in codes)


def test_a_code_typed_with_spaces_is_accepted(officer):
    officer.set_password(PASSWORD)
    officer.save()
    client = signed_in_with_password(officer)
    client.get(ENROL)
    code = enrolment_code(officer)

    assert client.post(ENROL, {"code": f" {code[:3]} {code[3:]} "}).status_code == 200


# --- recovery codes and throttling --------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(officer):
    officer.set_password(PASSWORD)
    officer.save()
    app_device(officer)
    codes = recovery_codes_issue(user=officer)

    client = signed_in_with_password(officer)
    response = client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert "залишилося 9" in response.content.decode()
    client.post(reverse("logout"))

    again = signed_in_with_password(officer)
    refused = again.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 400
    assert again.get(HOME).status_code == 302
    time.sleep(1.1)
    assert again.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert RecoveryCode.objects.filter(device__user=officer).count() == 8


@pytest.mark.parametrize(("wrong_codes", "wait_seconds"), [(1, 1), (2, 2), (3, 4), (4, 8), (6, 32)])
def test_after_wrong_codes_even_the_right_code_waits_twice_as_long_each_time(officer, wrong_codes, wait_seconds):
    officer.set_password(PASSWORD)
    officer.save()
    device = app_device(officer)
    client = signed_in_with_password(officer)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    device.throttling_failure_count = wrong_codes - 1
    device.save()

    assert client.post(VERIFY, {"code": wrong}).status_code == 400
    refused = client.post(VERIFY, {"code": app_code(device)})

    assert refused.status_code == 400
    assert f"Зачекайте {wait_seconds} с" in refused.content.decode()
    assert client.get(HOME).status_code == 302


def test_a_recovery_code_is_throttled_too(officer):
    officer.set_password(PASSWORD)
    officer.save()
    app_device(officer)
    codes = recovery_codes_issue(user=officer)
    client = signed_in_with_password(officer)

    assert client.post(VERIFY, {"code": "wrongone"}).status_code == 400
    refused = client.post(VERIFY, {"code": codes[0]})

    assert "Зачекайте 1 с" in refused.content.decode()
    assert RecoveryCode.objects.filter(device__user=officer).count() == 10  # the refused right code is not used up


# --- the member's own changes -------------------------------------------------------------------------------------


def test_an_optional_member_turns_it_on_is_then_asked_at_every_sign_in_and_may_turn_it_off(secretary):
    secretary.set_password(PASSWORD)
    secretary.save()
    client = signed_in_with_password(secretary)
    assert "Увімкнути другий фактор" in client.get(reverse("account-security")).content.decode()
    client.get(ENROL)
    assert client.post(ENROL, {"code": enrolment_code(secretary)}).status_code == 200
    client.post(reverse("logout"))

    client = signed_in_with_password(secretary)
    assert client.get(HOME)["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": app_code(AuthenticatorApp.objects.get(user=secretary))})
    assert client.get(HOME).status_code == 200
    client.post(reverse("account-second-factor-off"))
    assert not AuthenticatorApp.objects.filter(user=secretary).exists()
    assert not RecoveryCodes.objects.filter(user=secretary).exists()
    client.post(reverse("logout"))
    assert signed_in_with_password(secretary).get(HOME).status_code == 200


@pytest.mark.parametrize("engine", ["config.sessions", "django.contrib.sessions.backends.db"])
def test_a_factor_turned_on_in_another_browser_is_asked_for_at_the_next_page_of_a_password_only_session(
    settings, secretary, engine
):
    settings.SESSION_ENGINE = engine
    secretary.set_password(PASSWORD)
    secretary.save()
    laptop = signed_in_with_password(secretary)
    assert laptop.get(HOME).status_code == 200  # no factor yet: the password is enough

    phone = signed_in_with_password(secretary)
    phone.get(ENROL)
    assert phone.post(ENROL, {"code": enrolment_code(secretary)}).status_code == 200

    assert laptop.get(HOME)["Location"].startswith(VERIFY)


def test_a_role_that_requires_the_second_factor_cannot_turn_it_off(officer):
    client = Client()
    verified_login(client, officer)

    response = client.post(reverse("account-second-factor-off"), follow=True)

    assert "не можна вимкнути" in response.content.decode()
    assert AuthenticatorApp.objects.filter(user=officer, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(officer):
    old = recovery_codes_issue(user=officer)
    client = Client()
    verified_login(client, officer)

    new = page_codes(client.post(reverse("account-recovery-codes")))

    assert len(new) == 10
    assert not set(new) & set(old)
    assert stored_hashes(officer) == hashes(new)


# --- the administrator's reset ------------------------------------------------------------------------------------


def test_the_administrator_resets_a_members_second_factor_and_it_is_logged(login, admin_user, officer, organisation):
    officer_client = Client()
    verified_login(officer_client, officer)
    recovery_codes_issue(user=officer)

    response = login("admin_user").post(
        reverse("programs:person-reset-second-factor", args=[organisation.pk, officer.pk]), follow=True
    )

    assert response.status_code == 200
    assert not AuthenticatorApp.objects.filter(user=officer).exists()
    assert not RecoveryCodes.objects.filter(user=officer).exists()
    change = PeopleChange.objects.get(action=PeopleAction.SECOND_FACTOR_RESET)
    assert (change.organisation, change.actor, change.person) == (organisation, admin_user, officer)
    people_page = login("admin_user").get(reverse("programs:people", args=[organisation.pk])).content.decode()
    assert "Другий фактор скинуто" in people_page
    # The session verified with the removed app no longer counts: the officer enrols again.
    assert officer_client.get(HOME)["Location"].startswith(ENROL)


def test_the_administrator_resets_over_the_api_too(api, admin_user, officer, organisation):
    app_device(officer)
    membership = officer.memberships.get()

    response = api("admin_user").post(f"/api/v1/memberships/{membership.pk}/reset-second-factor/")

    assert response.status_code == 200
    assert response.json()["person"]["id"] == officer.pk
    assert not AuthenticatorApp.objects.filter(user=officer).exists()
    assert PeopleChange.objects.filter(action=PeopleAction.SECOND_FACTOR_RESET, person=officer).count() == 1
    trail = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)  # in the tamper-evident trail too
    assert (trail.actor_id, trail.target_id) == (admin_user.pk, str(officer.pk))


@pytest.mark.parametrize("channel", ["page", "api"])
def test_a_member_of_another_organisation_answers_404_and_keeps_the_second_factor(
    login, api, admin_user, other_organisation, channel
):
    stranger = member(Role.OFFICER, other_organisation)
    app_device(stranger)
    if channel == "page":
        url = reverse("programs:person-reset-second-factor", args=[other_organisation.pk, stranger.pk])
        response = login("admin_user").post(url)
    else:
        response = api("admin_user").post(f"/api/v1/memberships/{stranger.memberships.get().pk}/reset-second-factor/")

    assert response.status_code == 404
    assert AuthenticatorApp.objects.filter(user=stranger).exists()
    assert not PeopleChange.objects.filter(action=PeopleAction.SECOND_FACTOR_RESET).exists()


# --- tokens, the Django admin, the app's name ---------------------------------------------------------------------


def test_a_token_call_is_not_asked_for_a_code(token_api, officer):
    assert token_api(officer).get(API_PROGRAMS).status_code == 200


def test_an_unverified_session_with_a_token_beside_it_is_still_refused(officer):
    officer.set_password(PASSWORD)
    officer.save()
    client = signed_in_with_password(officer)
    token = Token.objects.create(user=officer)

    assert client.get(API_PROGRAMS, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 403


def test_staff_reach_the_django_admin_only_after_the_code():
    staff = UserFactory(is_staff=True, is_superuser=True, password=PASSWORD)
    device = app_device(staff)
    client = signed_in_with_password(staff)

    assert client.get("/admin/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": app_code(device)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("setting", "issuer"),
    [("", "Портал антикорупційних програм"), ("ГУДМС: портал", "ГУДМС портал")],
)
def test_the_authenticator_app_shows_the_portals_name_or_the_configured_one(settings, officer, setting, issuer):
    settings.SECOND_FACTOR_ISSUER = setting
    device = app_device(officer)

    url = unquote(device.config_url)

    assert url.startswith(f"otpauth://totp/{issuer}:officer?")
    assert f"issuer={issuer}" in url


def test_neither_the_apps_key_nor_a_recovery_code_can_be_read_from_the_database(officer):
    device = app_device(officer)
    codes = [code.replace("-", "") for code in recovery_codes_issue(user=officer)]

    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM programs_authenticatorapp WHERE id = %s", [device.pk])
        stored_key = cursor.fetchone()[0]
        cursor.execute("SELECT code_hash FROM programs_recoverycode")
        stored_codes = " ".join(row[0] for row in cursor.fetchall())

    assert device.key not in stored_key
    assert device.secret_base32 not in stored_key.upper()
    assert AuthenticatorApp.objects.get(pk=device.pk).key == device.key  # decrypted with FIELD_ENCRYPTION_KEY
    assert not any(code in stored_codes for code in codes)
