"""The second factor's devices: django-otp devices whose secrets are not readable from a database dump.

django-otp's own TOTPDevice keeps the app's key in clear and StaticToken the recovery codes; here the key is
encrypted with FIELD_ENCRYPTION_KEY (as whistleblower reports are) and each recovery code is kept as a SHA-256 hash
of 80 random bits, so neither a code nor the key can be taken from a backup. The code checks (time steps, replay,
throttling) are django-otp's own, borrowed from TOTPDevice.
"""

from __future__ import annotations

import hashlib
import secrets
from base64 import b32encode
from binascii import unhexlify

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.fields import EncryptedTextField


def new_app_key() -> str:
    """Twenty random bytes (the size RFC 4226 recommends for HMAC-SHA1), in hex as django-otp keeps keys."""
    return secrets.token_hex(20)


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238) of one person; unconfirmed until the person typed its first code."""

    key = EncryptedTextField(_("secret key"), default=new_app_key)
    step = models.PositiveSmallIntegerField(_("time step"), default=30)
    t0 = models.BigIntegerField(_("start time"), default=0)
    digits = models.PositiveSmallIntegerField(_("digits"), default=6)
    tolerance = models.PositiveSmallIntegerField(_("tolerance"), default=1)
    drift = models.SmallIntegerField(_("drift"), default=0)
    last_t = models.BigIntegerField(_("last time step used"), default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    # django-otp's checks as they are: the tolerance window, no code used twice, the drift, the throttling.
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    @property
    def secret_base32(self) -> str:
        return b32encode(self.bin_key).decode().rstrip("=")


def recovery_code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A person's set of one-time recovery codes, for signing in without the phone."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        from django.conf import settings

        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def issue(self, count: int) -> list[str]:
        """Replace the codes with `count` new ones and answer them; only their hashes are kept."""
        self.codes.all().delete()
        codes = [b32encode(secrets.token_bytes(10)).decode().lower() for _index in range(count)]
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=self, code_hash=recovery_code_hash(code)) for code in codes
        )
        return codes

    def verify_token(self, token: str) -> bool:
        """A matching code signs in once: it is deleted as it is used."""
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        used, _deleted = self.codes.filter(code_hash=recovery_code_hash(token)).delete()
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    """One unused recovery code, as its hash."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(_("code hash"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device} #{self.pk}"
