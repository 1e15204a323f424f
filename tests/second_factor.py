"""Signing in with a real second factor in tests: a confirmed authenticator device and the code it would show.

Officers, administrators and staff cannot open a page on the password alone (programs.second_factor), so the test
clients sign them in and then verify the session with django-otp's own `login(request, device)`, and the browser
journeys type the code a real app would compute from the device's key.
"""

from __future__ import annotations

import time

from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP, hotp

from programs.permissions import must_use_second_factor
from programs.second_factor_models import AuthenticatorApp


def app_device(user) -> AuthenticatorApp:
    """The user's confirmed authenticator device, as if they had enrolled."""
    device = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
    return device or AuthenticatorApp.objects.create(user=user, confirmed=True, name="authenticator app")


def app_code(device: AuthenticatorApp) -> str:
    """The code the authenticator app shows for the device now — or, when this time step's code was already used
    (django-otp refuses a code twice), the next step's code, which the device's tolerance accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(totp.t(), device.last_t + 1)
    while step > totp.t() + device.tolerance:
        time.sleep(1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def verified_login(client, user) -> None:
    """`client.force_login(user)` plus, for a user who has or needs a second factor, a session verified with it."""
    client.force_login(user)
    has_device = AuthenticatorApp.objects.filter(user=user, confirmed=True).exists()
    if not (has_device or must_use_second_factor(user)):
        return
    request = HttpRequest()
    request.session = client.session
    request.user = user
    otp_login(request, app_device(user))
    request.session.save()


def pass_second_factor(page, username: str) -> None:
    """In a browser just past the password step: type the code a real app computes from the device's key — enrolling
    first (and leaving the recovery codes page) when the account has no second factor yet."""
    path = page.url.split("?")[0]
    if path.endswith("/accounts/second-factor/enrol/"):
        device = AuthenticatorApp.objects.get(user__username=username, confirmed=False)
        page.fill("input[name=code]", app_code(device))
        page.press("input[name=code]", "Enter")
        page.wait_for_load_state()
        page.locator("#recovery-codes").wait_for()
        page.click("main a.button")
        page.wait_for_load_state()
    elif path.endswith("/accounts/second-factor/"):
        device = AuthenticatorApp.objects.get(user__username=username, confirmed=True)
        page.fill("input[name=code]", app_code(device))
        page.press("input[name=code]", "Enter")
        page.wait_for_load_state()
