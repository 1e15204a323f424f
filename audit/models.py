"""The audit trail: an append-only, hash-chained log of security-relevant events.

Rows are never changed or deleted: the model refuses it, a PostgreSQL trigger refuses it to any SQL client, and
`manage.py audit_verify` finds any row that was changed anyway by someone with rights over the database. No daily
job removes rows: the log is kept for years.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.choices import AuditAction


class AppendOnlyError(Exception):
    """An attempt to change or delete an entry of the audit trail."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Entries of the audit trail cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Entries of the audit trail cannot be deleted.")


class AuditEvent(models.Model):
    """One event: who did what, where, to which object, from which address, chained to the entry before it.

    Actor and organisation are references without a database constraint and without cascading: deleting a person or
    a body must neither delete nor rewrite the log, so the id stays (with the username as it was) and the hash
    keeps holding. Details hold only ids and labels an administrator already sees — never a whistleblower's
    identity, a case's text, a receipt code or a password.
    """

    sequence = models.PositiveBigIntegerField(_("entry number"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices, db_index=True)
    organisation = models.ForeignKey(
        "programs.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    client_ip = models.CharField(_("client address"), max_length=45, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"№ {self.sequence} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Entries of the audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Entries of the audit trail cannot be deleted.")
