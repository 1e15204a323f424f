"""Sign-in lockout: after too many failed passwords an account, and separately a client address, is refused for a
while — before any password is hashed, so guessing costs the server nothing either.

Counters live only in the cache, keyed by an HMAC of the username or address (no address is written to the
database or the logs). An administrator unlocks with `manage.py unlock_sign_in` or the "Unlock sign-in" action on
the users' admin page; a successful sign-in clears the account's counter.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.choices import AuditAction
from audit.services import record
from audit.signals import account_named
from core.counters import CACHE_ERRORS, client_address, counter_hit, counter_value
from programs.second_factor_models import AuthenticatorApp
from programs.sign_in_names import account_username

logger = logging.getLogger(__name__)
# The attribute `LockoutModelBackend.get_user` sets on a session's user: whether a confirmed second factor existed
# when the request began.
SECOND_FACTOR_LOADED = "second_factor_confirmed_on_load"


def failures_per_account() -> int:
    return int(getattr(settings, "LOGIN_FAILURES_PER_ACCOUNT", 5))


def failures_per_address() -> int:
    return int(getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 20))


def lockout_seconds() -> int:
    return int(getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15)) * 60


def _digest(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def account_key(username: str) -> str:
    """The counter of the account a typed name signs in. A name is matched case-insensitively and an account's
    e-mail address signs it in too, so "Officer", "officer" and "officer@body.gov.ua" share one counter: a guesser
    gets the account's limit once, not once per spelling. A name that signs no account in keeps a counter of its own
    (by its case-folded spelling), so guesses at unknown names are limited as well."""
    typed = username.strip()
    return f"sign-in:account:{_digest('account', account_username(typed).casefold())}"


def address_key(address: str) -> str:
    return f"sign-in:address:{_digest('address', address)}"


def _cache_down(error: Exception) -> None:
    # Sessions live in the database, so staff can still sign in while the cache is down; the lockout then fails
    # open (and says so in the log) rather than locking everyone out or answering 500.
    logger.warning("Sign-in lockout skipped: the cache is unavailable (%s).", type(error).__name__)


def sign_in_locked(request: HttpRequest | None, username: str | None) -> bool:
    try:
        if username and counter_value(account_key(username)) >= failures_per_account():
            return True
        return request is not None and counter_value(address_key(client_address(request))) >= failures_per_address()
    except CACHE_ERRORS as error:
        _cache_down(error)
        return False


def sign_in_unlock(*, username: str | None = None, address: str | None = None) -> None:
    if username:
        cache.delete(account_key(username))
    if address:
        cache.delete(address_key(address))


@receiver(user_login_failed, dispatch_uid="programs.lockout.count_failure")
def _count_failure(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    username = credentials.get("username") or ""
    try:
        # The failure that reaches a limit is the moment of the lockout: recorded once, not for every later refusal.
        if username and counter_hit(account_key(username), lockout_seconds()) == failures_per_account():
            _record_lockout(request, username, "account")
        if request is not None and counter_hit(address_key(client_address(request)), lockout_seconds()) == (
            failures_per_address()
        ):
            _record_lockout(request, username, "address")
    except CACHE_ERRORS as error:
        _cache_down(error)


def _record_lockout(request: HttpRequest | None, username: str, locked: str) -> None:
    record(
        AuditAction.SIGN_IN_LOCKED,
        actor=account_named(username),
        request=request,
        locked=locked,
        minutes=lockout_seconds() // 60,
    )


@receiver(user_logged_in, dispatch_uid="programs.lockout.clear_account")
def _clear_account(sender, request, user, **kwargs) -> None:
    # The address counter is left to expire: one valid account must not reset the count of guesses at others.
    try:
        cache.delete(account_key(user.get_username()))
    except CACHE_ERRORS as error:
        _cache_down(error)


class LockoutModelBackend(ModelBackend):
    """Django's model backend that refuses a locked account or address before it hashes any password — for the
    staff sign-in, the admin's sign-in and every other caller of `authenticate`. It replaces ModelBackend (rather
    than preceding it) so a wrong password is hashed once, not once per backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if sign_in_locked(request, username):
            raise PermissionDenied
        if username is not None:
            username = account_username(username.strip())
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The user of a signed-in session, read with whether they have a confirmed second factor: the second-factor
        middleware asks that on every request of a session not verified with a code, and read in the same query it is
        as fresh as a query of its own (a factor enrolled or reset in another session counts at the next request)."""
        user_model = get_user_model()
        confirmed = AuthenticatorApp.objects.filter(user=OuterRef("pk"), confirmed=True)
        try:
            user = user_model._default_manager.annotate(**{SECOND_FACTOR_LOADED: Exists(confirmed)}).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


LOCKED_MESSAGE = _(
    "Too many failed sign-in attempts. Sign-in is locked for %(minutes)s minutes; to unlock it sooner, ask the "
    "portal's administrator."
)


class LockoutFormMixin:
    """Says that sign-in is locked instead of "wrong password", so a locked-out person knows what to do."""

    def _locked_error(self) -> forms.ValidationError:
        return forms.ValidationError(LOCKED_MESSAGE, code="locked", params={"minutes": lockout_seconds() // 60})

    def clean(self):
        username = self.cleaned_data.get("username")
        if sign_in_locked(self.request, username):
            # Refused before any password is checked, so Django sends no failure signal: record the attempt here.
            account = account_named(username or "")
            record(
                AuditAction.SIGN_IN_FAILED,
                actor=account,
                request=self.request,
                known_account=account is not None,
                locked=True,
            )
            raise self._locked_error()
        try:
            return super().clean()
        except forms.ValidationError as error:
            # The failure just counted may have been the one that locked the account.
            if error.code == "invalid_login" and sign_in_locked(self.request, username):
                raise self._locked_error() from error
            raise


class LockoutAuthenticationForm(LockoutFormMixin, AuthenticationForm):
    pass


class LockoutAdminAuthenticationForm(LockoutFormMixin, AdminAuthenticationForm):
    pass
