"""A POST an API client sent with an `Idempotency-Key`: kept so a retry gets the first answer, not a duplicate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.api.headers import IDEMPOTENCY_KEY_MAX_LENGTH


class IdempotentRequest(models.Model):
    """One key of one user: what the request was (method, path, fingerprint of its body) and, once answered with
    success, the answer to replay. While `status_code` is NULL the first request is still being processed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=IDEMPOTENCY_KEY_MAX_LENGTH)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=2000)
    fingerprint = models.CharField(_("fingerprint of the request"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status of the answer"), null=True, blank=True)
    content_type = models.CharField(_("content type of the answer"), max_length=200, blank=True)
    content = models.BinaryField(_("body of the answer"), default=b"")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("kept until"), db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_one_request_per_user_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
