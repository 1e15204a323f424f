"""A notice that a whistleblower's identity is to be disclosed: its ground, recipient and steps (gathered in
whistleblowers.models)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import ScopedQuerySet
from core.fields import EncryptedTextField
from whistleblowers.access_rules import CASE_RULE
from whistleblowers.choices import (
    DisclosureState,
    NoticeChannel,
)

# Only the authorised anti-corruption officer reads reports, identities and the inducement journal; not even a
# platform superuser bypasses this rule (art. 53-5 of the Law «Про запобігання корупції»). A report belongs to the body
# it was sent to: a parent body's officer sees the children's reports as counts only, and reads a case once it has
# been forwarded to the parent (a Forwarding with `to_organisation`).


class DisclosureNotice(models.Model):
    """A notice to the whistleblower that their identity may be lawfully disclosed, and what became of it.

    Art. 53-5 of the Law «Про запобігання корупції»: where the law allows the identity to be disclosed, the
    whistleblower is notified at least `CaseRules.disclosure_notice_working_days` working days before. The notice is
    then either followed by the disclosure or withdrawn; nothing of it is ever deleted or overwritten — except its
    texts, emptied with the rest of the case's content when the retention period ends (whistleblowers.retention).
    """

    report = models.ForeignKey(
        "whistleblowers.WhistleblowerReport",
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="disclosure_notices",
    )
    ground = EncryptedTextField(_("legal ground for the disclosure"))
    recipient = EncryptedTextField(_("to whom the identity would be disclosed"))
    notified_on = models.DateField(_("whistleblower notified on"))
    channel = models.CharField(_("how the whistleblower was notified"), max_length=20, choices=NoticeChannel.choices)
    # The rule in force when the notice was given: a later change of the rules does not move this date.
    notice_working_days = models.PositiveSmallIntegerField(_("notice, working days"))
    earliest_disclosure_on = models.DateField(_("disclosure allowed from"))
    message = models.OneToOneField(
        "whistleblowers.ReportMessage",
        verbose_name=_("message to the whistleblower"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_notice",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    disclosed_on = models.DateField(_("disclosed on"), null=True, blank=True)
    disclosure_note = EncryptedTextField(_("how the identity was disclosed"), blank=True)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disclosure recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disclosure_recorded_at = models.DateTimeField(_("disclosure recorded at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = EncryptedTextField(_("reason for withdrawal"), blank=True)

    objects = ScopedQuerySet.as_manager()
    access = CASE_RULE

    class Meta:
        verbose_name = _("identity disclosure notice")
        verbose_name_plural = _("identity disclosure notices")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(earliest_disclosure_on__gte=models.F("notified_on")),
                name="disclosure_notice_earliest_after_notice",
            ),
            models.CheckConstraint(
                condition=Q(disclosed_on__isnull=True) | Q(disclosed_on__gte=models.F("earliest_disclosure_on")),
                name="disclosure_notice_not_disclosed_early",
            ),
            models.CheckConstraint(
                condition=Q(disclosed_on__isnull=True) | Q(withdrawn_at__isnull=True),
                name="disclosure_notice_not_disclosed_and_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(disclosed_on__isnull=True, disclosed_by__isnull=True, disclosure_recorded_at__isnull=True)
                | Q(disclosed_on__isnull=False, disclosed_by__isnull=False, disclosure_recorded_at__isnull=False),
                name="disclosure_notice_disclosure_recorded_in_full",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="disclosure_notice_withdrawal_recorded_in_full",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.notified_on:%d.%m.%Y}"

    def state_on(self, today: date) -> DisclosureState:
        if self.withdrawn_at is not None:
            return DisclosureState.WITHDRAWN
        if self.disclosed_on is not None:
            return DisclosureState.DISCLOSED
        return DisclosureState.ALLOWED if today >= self.earliest_disclosure_on else DisclosureState.NOTIFIED

    @property
    def pending(self) -> bool:
        """Neither followed by a disclosure nor withdrawn."""
        return self.disclosed_on is None and self.withdrawn_at is None
