"""An officer's first sign-in: the password, then enrolment with an authenticator app (the test is the app: it
computes the codes from the secret the page shows), the recovery codes once; later sign-ins with a code from the
app and with a recovery code. Real Chromium."""

import re
import time
from base64 import b32decode

import pytest

from core.roles import Role
from programs.second_factor_models import AuthenticatorApp
from tests.conftest import member
from tests.factories import OrganisationFactory
from tests.second_factor import app_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kashtan-na-Khreshchatyku-17"


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def enter_code(page, code: str) -> None:
    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.locator(".user-menu button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url


def test_an_officer_enrols_keeps_the_recovery_codes_and_signs_in_with_the_app_and_with_a_recovery_code(page):
    officer = member(Role.OFFICER, OrganisationFactory(short_name="ДМС"), username="ivanenko", password=PASSWORD)
    policy_violations = []
    page.on(
        "console",
        lambda message: policy_violations.append(message.text) if "Content Security" in message.text else None,
    )

    password_step(page, "ivanenko")
    assert "/accounts/second-factor/enrol/" in page.url
    assert page.locator(".qr-code svg").is_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    device = AuthenticatorApp.objects.get(user=officer, confirmed=False)
    assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    page.goto("/programs/")
    assert "/accounts/second-factor/enrol/" in page.url  # nothing else opens before the second factor

    enter_code(page, f"{(int(app_code(device)) + 1) % 1_000_000:06d}")
    assert "Код неправильний" in page.locator("#id_code_error").inner_text()
    time.sleep(1.1)  # django-otp's throttling after a wrong code
    enter_code(page, app_code(device))

    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{4}(-[a-z2-7]{4}){3}", code) for code in codes)
    assert page.locator("button[data-print]").is_visible()
    page.locator("main a.button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/programs/")
    assert policy_violations == []  # the inline QR code and the print button live under the strict policy
    sign_out(page)

    password_step(page, "ivanenko")
    assert "/accounts/second-factor/" in page.url
    enter_code(page, app_code(device))
    assert page.locator("main h1").count() == 1
    assert "/accounts/" not in page.url
    sign_out(page)

    password_step(page, "ivanenko")
    enter_code(page, codes[0])
    assert "/accounts/" not in page.url
    assert "залишилося 9" in page.locator(".messages").inner_text()
    sign_out(page)

    password_step(page, "ivanenko")
    enter_code(page, codes[0])
    assert "/accounts/second-factor/" in page.url
    assert page.locator("#id_code_error").is_visible()
