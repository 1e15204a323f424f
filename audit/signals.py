"""Sign-in, sign-in failure and sign-out, from Django's authentication signals (every sign-in path sends them: the
staff page, the admin, and the API's session sign-in), and deletions from the shared plumbing's own signal. The
lockout itself is recorded by `programs.lockout`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.choices import AuditAction
from audit.services import record
from core.signals import record_deleted


@receiver(user_logged_in, dispatch_uid="audit.signed_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    record(AuditAction.SIGNED_IN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit.signed_out")
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(AuditAction.SIGNED_OUT, actor=user, request=request)


def account_named(username: str):
    """The account a sign-in name belongs to, or None. What was typed is recorded only when it names an account:
    people do type their password into the name field."""
    if not username:
        return None
    model = get_user_model()
    return model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": username.strip()}).order_by("pk").first()


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def _sign_in_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    account = account_named(credentials.get("username") or "")
    record(AuditAction.SIGN_IN_FAILED, actor=account, request=request, known_account=account is not None)


@receiver(record_deleted, dispatch_uid="audit.deleted")
def _deleted(sender, instance, user, organisation=None, label: str = "", **kwargs) -> None:
    record(AuditAction.DELETED, actor=user, organisation=organisation, target=instance, label=label or None)
