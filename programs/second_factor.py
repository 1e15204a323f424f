"""The second factor: a code from an authenticator app (TOTP) or a one-time recovery code, on top of the password.

Officers read whistleblowers' identities and administrators hand out roles, so for them (and for Django staff) the
second factor is required (`permissions.must_use_second_factor`); everyone else may turn it on from their account
page. The devices (programs/second_factor_models.py) are django-otp devices: one confirmed `AuthenticatorApp`, its
key encrypted at rest, and one `RecoveryCodes` holding hashes of the one-time codes.
Wrong codes are slowed down by django-otp's own throttling (each failure doubles the wait), so a six-digit code
cannot be guessed; the password step keeps its lockout (programs/lockout.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device

from programs.choices import PeopleAction
from programs.models import Organisation
from programs.people import people_record
from programs.permissions import must_use_second_factor
from programs.second_factor_models import AuthenticatorApp, RecoveryCode, RecoveryCodes

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"
_APP_CODE = re.compile(r"\d{6}")
# A recovery code as shown: 16 base32 letters in groups of four.
RECOVERY_GROUP = 4


@dataclass(frozen=True)
class SecondFactorState:
    """What the account page shows: whether the factor is on, required, and how many recovery codes are left."""

    enabled: bool
    required: bool
    recovery_codes_left: int
    last_used_at: dt.datetime | None


def has_second_factor(user) -> bool:
    return AuthenticatorApp.objects.filter(user=user, confirmed=True).exists()


def second_factor_state(*, user) -> SecondFactorState:
    app = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
    left = RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()
    return SecondFactorState(
        enabled=app is not None,
        required=must_use_second_factor(user),
        recovery_codes_left=left,
        last_used_at=app.last_used_at if app is not None else None,
    )


# --- enrolment ----------------------------------------------------------------------------------------------------


def enrolment_device(*, user) -> AuthenticatorApp:
    """The unconfirmed app device the enrolment page shows, made once and kept until confirmed, so reloading the
    page does not change the secret already scanned."""
    device = AuthenticatorApp.objects.filter(user=user, confirmed=False, name=APP_DEVICE_NAME).order_by("pk").first()
    return device or AuthenticatorApp.objects.create(user=user, confirmed=False, name=APP_DEVICE_NAME)


def secret_for_typing(device: AuthenticatorApp) -> str:
    """The secret in base32, in groups of four, as authenticator apps ask for it when typed."""
    secret = device.secret_base32
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def enrolment_qr_svg(device: AuthenticatorApp) -> str:
    """The QR code of the device's otpauth:// address as inline SVG: no image request, no inline style (CSP)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, light="#fff", title=_("QR code for the authenticator app")
    )


def _throttled_error(device: Device) -> ValidationError | None:
    """The refusal while django-otp makes the device wait after wrong codes (1, 2, 4 … seconds); None when it may
    check a code now."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return None
    seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds() + 0.999))
    return ValidationError(
        _("Too many wrong codes. Wait %(seconds)d seconds and enter a new code."),
        code="throttled",
        params={"seconds": seconds},
    )


def _wrong_code_error() -> ValidationError:
    return ValidationError(_("The code is not correct. Enter the code your app shows now."), code="wrong_code")


def recovery_codes_issue(*, user) -> list[str]:
    """Replace the user's recovery codes with ten new ones, as shown (grouped); the old ones stop working."""
    device, _created = RecoveryCodes.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    RecoveryCodes.objects.filter(user=user).exclude(pk=device.pk).delete()
    return [
        "-".join(code[index : index + RECOVERY_GROUP] for index in range(0, len(code), RECOVERY_GROUP))
        for code in device.issue(RECOVERY_CODE_COUNT)
    ]


def normalise_code(code: str) -> str:
    """People type codes with spaces or dashes and recovery codes in capitals: "123 456", "ABCD-EFGH"."""
    return re.sub(r"[\s-]", "", code or "").lower()


def enrolment_confirm(*, device: AuthenticatorApp, code: str) -> list[str]:
    """Turn the app device on when the code it shows is right; answer the ten new recovery codes (shown once)."""
    if device.confirmed:
        raise ValidationError(_("The second factor is already turned on."), code="confirmed")
    with transaction.atomic():
        device = AuthenticatorApp.objects.select_for_update().get(pk=device.pk)
        throttled = _throttled_error(device)
        if throttled is not None:
            raise throttled
        if device.verify_token(normalise_code(code)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            AuthenticatorApp.objects.filter(user=device.user).exclude(pk=device.pk).delete()
            return recovery_codes_issue(user=device.user)
    # Raised outside the transaction, so that the failure django-otp counted for throttling stays counted.
    raise _wrong_code_error()


# --- signing in ---------------------------------------------------------------------------------------------------


def code_verify(*, user, code: str) -> Device:
    """The device that accepts the code: six digits go to the app, anything else is a recovery code (used up)."""
    code = normalise_code(code)
    if not code:
        raise ValidationError(_("Enter the code."), code="required")
    if _APP_CODE.fullmatch(code):
        device = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
    else:
        device = RecoveryCodes.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise _wrong_code_error()
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        throttled = _throttled_error(device)
        if throttled is not None:
            raise throttled
        if device.verify_token(code):
            return device
    raise _wrong_code_error()


# --- the member's own changes -------------------------------------------------------------------------------------


def recovery_codes_regenerate(*, user) -> list[str]:
    if not has_second_factor(user):
        raise ValidationError(_("Turn the second factor on first."), code="not_enabled")
    with transaction.atomic():
        return recovery_codes_issue(user=user)


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Turn off an optional second factor; a role that requires one keeps it (an administrator can reset it)."""
    if must_use_second_factor(user):
        raise ValidationError(
            _("Your role requires the second factor, so it cannot be turned off."), code="required_by_role"
        )
    AuthenticatorApp.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()


@transaction.atomic
def second_factor_reset(*, organisation: Organisation, person, actor) -> None:
    """An administrator removes a member's app and recovery codes (a lost phone): sessions verified with them stop
    counting, and the member enrols again at the next page, if their role requires it. Logged in the people log."""
    AuthenticatorApp.objects.filter(user=person).delete()
    RecoveryCodes.objects.filter(user=person).delete()
    people_record(organisation=organisation, actor=actor, person=person, action=PeopleAction.SECOND_FACTOR_RESET)
