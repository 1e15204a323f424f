from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import ScopedQuerySet
from core.fields import EncryptedTextField
from core.storage import encrypted_storage
from whistleblowers.access_rules import CASE_RULE, OFFICER_ONLY, REPORT_RULE
from whistleblowers.choices import (
    BasisOfKnowledge,
    CaseStatus,
    Channel,
    ErasureReason,
    MessageAuthor,
    Recipient,
)


class CaseRules(models.Model):
    """An organisation's deadlines for whistleblower reports and its registration-number pattern (configurable)."""

    organisation = models.OneToOneField(
        "programs.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="case_rules"
    )
    number_pattern = models.CharField(
        _("registration number pattern"),
        max_length=50,
        default="{seq}/{year}-В",
        help_text=_("Use {seq} for the sequence number within the year and {year} for the year."),
    )
    preliminary_review_working_days = models.PositiveSmallIntegerField(
        _("preliminary review, working days"), default=10
    )
    forward_about_head_days = models.PositiveSmallIntegerField(_("forwarding a report about the head, days"), default=3)
    not_in_competence_notice_days = models.PositiveSmallIntegerField(
        _("telling the whistleblower it is not in competence, days"), default=3
    )
    offence_notice_hours = models.PositiveSmallIntegerField(_("notifying of an offence, hours"), default=24)
    verification_days = models.PositiveSmallIntegerField(_("verification, days"), default=30)
    verification_extended_days = models.PositiveSmallIntegerField(_("extended verification, days"), default=45)
    result_notice_days = models.PositiveSmallIntegerField(_("telling the result, days"), default=3)
    disclosure_notice_working_days = models.PositiveSmallIntegerField(
        _("notice before a lawful disclosure of identity, working days"), default=18
    )

    class Meta:
        verbose_name = _("whistleblower case rules")
        verbose_name_plural = _("whistleblower case rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(verification_extended_days__gte=models.F("verification_days")),
                name="case_rules_extension_not_shorter",
            ),
            models.CheckConstraint(condition=Q(number_pattern__contains="{seq}"), name="case_rules_pattern_has_seq"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class WhistleblowerReport(models.Model):
    """A report of possible corruption (повідомлення викривача), from the public form or registered by staff."""

    organisation = models.ForeignKey(
        "programs.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="whistleblower_reports",
    )
    registration_year = models.PositiveSmallIntegerField(_("registration year"), null=True, blank=True)
    registration_sequence = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    basis_of_knowledge = models.CharField(_("basis of knowledge"), max_length=20, choices=BasisOfKnowledge.choices)
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    summary = EncryptedTextField(_("summary"), blank=True)
    details = EncryptedTextField(_("what happened"))
    accused = EncryptedTextField(_("who is involved"), blank=True)
    place_and_time = EncryptedTextField(_("where and when"), blank=True)
    accused_unit = models.ForeignKey(
        "programs.Unit",
        verbose_name=_("unit concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    concerns_head = models.BooleanField(_("concerns the head of the body"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_whistleblower_reports",
    )
    # A slow salted hash of the 16-digit receipt; the receipt itself is never stored.
    receipt_hash = models.CharField(_("receipt hash"), max_length=200, null=True, blank=True, unique=True)
    submission_token = models.CharField(_("submission token"), max_length=64, null=True, blank=True, unique=True)
    # The day of the last status change: the not-in-competence notice runs from it.
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    verification_started_on = models.DateField(_("verification started on"), null=True, blank=True)
    verification_extended = models.BooleanField(_("verification extended"), default=False)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reporter_informed_on = models.DateField(_("whistleblower informed on"), null=True, blank=True)
    # The day the officer found signs of a corruption offence: the specially authorised body must then be notified
    # within 24 hours (CaseRules.offence_notice_hours).
    offence_signs_found_on = models.DateField(_("signs of an offence found on"), null=True, blank=True)
    # Set while proceedings (a court case, a criminal investigation) still need the case: it is then not erased when
    # its retention period ends (whistleblowers.retention); emptied to lift the hold.
    retention_hold = models.CharField(_("kept beyond the retention period because of"), max_length=300, blank=True)
    # When the officers were e-mailed that the report arrived (the e-mail carries no content); set once.
    officers_notified_at = models.DateTimeField(_("officers notified at"), null=True, blank=True)

    # Optimistic locking of the officer's summary (core.concurrency): two officers never overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()
    access = REPORT_RULE

    class Meta:
        verbose_name = _("whistleblower report")
        verbose_name_plural = _("whistleblower reports")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "registration_year", "registration_sequence"],
                name="whistleblower_report_sequence_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "registration_number"],
                condition=~Q(registration_number=""),
                name="whistleblower_report_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(registration_sequence__isnull=True, registration_number="")
                | Q(registration_sequence__isnull=False, registration_year__isnull=False) & ~Q(registration_number=""),
                name="whistleblower_report_registered_in_full",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | Q(closed_on__isnull=False),
                name="whistleblower_report_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.registration_number or str(_("unregistered report"))


class ReporterIdentity(models.Model):
    """Who the whistleblower is, stored apart from the report and encrypted; every reading is logged."""

    report = models.OneToOneField(
        WhistleblowerReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="identity"
    )
    full_name = EncryptedTextField(_("full name"))
    contacts = EncryptedTextField(_("contacts"), blank=True)
    position = EncryptedTextField(_("position or relation to the body"), blank=True)

    objects = ScopedQuerySet.as_manager()
    access = CASE_RULE

    class Meta:
        verbose_name = _("whistleblower identity")
        verbose_name_plural = _("whistleblower identities")

    def __str__(self) -> str:
        return str(_("whistleblower identity"))


class IdentityAccess(models.Model):
    """A record that an officer read a whistleblower's identity."""

    identity = models.ForeignKey(
        ReporterIdentity, verbose_name=_("identity"), on_delete=models.CASCADE, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    accessed_at = models.DateTimeField(_("accessed at"), auto_now_add=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.accessed_at:%d.%m.%Y %H:%M}"


class ReportMessage(models.Model):
    """A message between the officer and the whistleblower, who reads it with the receipt."""

    report = models.ForeignKey(
        WhistleblowerReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField(_("author"), max_length=10, choices=MessageAuthor.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # For the whistleblower's messages: when the officers were e-mailed that one arrived (without its text).
    officers_notified_at = models.DateTimeField(_("officers notified at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    access = CASE_RULE

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(author=MessageAuthor.REPORTER, officer__isnull=True) | Q(author=MessageAuthor.OFFICER),
                name="report_message_reporter_has_no_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_author_display()} {self.created_at:%d.%m.%Y %H:%M}"


class ReportAttachment(models.Model):
    """A file attached to a report or message; kept outside the web root and served only to the officer."""

    report = models.ForeignKey(
        WhistleblowerReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        ReportMessage,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="whistleblowers/%Y/", storage=encrypted_storage)
    original_name = EncryptedTextField(_("original name"), blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    access = CASE_RULE

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.sha256[:12]


class Forwarding(models.Model):
    """A report sent on to NAZK, NABU, the police or a prosecutor: when and under which outgoing number."""

    report = models.ForeignKey(
        WhistleblowerReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="forwardings"
    )
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient.choices)
    recipient_details = models.CharField(_("recipient details"), max_length=300, blank=True)
    # Set when the report went to the parent body in the portal: that body's officer may then read the case.
    to_organisation = models.ForeignKey(
        "programs.Organisation",
        verbose_name=_("body in the portal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_whistleblower_reports",
    )
    sent_on = models.DateField(_("sent on"))
    outgoing_number = models.CharField(_("outgoing number"), max_length=50)

    objects = ScopedQuerySet.as_manager()
    access = CASE_RULE

    class Meta:
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")
        ordering = ["sent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient=Recipient.PARENT_BODY, to_organisation__isnull=False)
                | ~Q(recipient=Recipient.PARENT_BODY) & Q(to_organisation__isnull=True),
                name="forwarding_parent_body_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} {self.outgoing_number}"


class InducementNotification(models.Model):
    """An employee's notification that someone tried to induce them into corruption (seed 004, Приложение 3)."""

    organisation = models.ForeignKey(
        "programs.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="inducement_notifications",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("No."))
    registered_on = models.DateField(_("registration date"))
    incoming_number = models.CharField(_("incoming document number"), max_length=50, blank=True)
    incoming_date = models.DateField(_("incoming document date"), null=True, blank=True)
    notifier = EncryptedTextField(_("notifier; from where and whom the document came"))
    summary = EncryptedTextField(_("summary of the document"))
    sheets = models.PositiveSmallIntegerField(_("number of sheets"), default=1)
    resolution = models.TextField(_("management's resolution"), blank=True)
    resolution_due = models.DateField(_("due date"), null=True, blank=True)
    executor = models.CharField(_("executor"), max_length=200, blank=True)
    receipt_acknowledged_on = models.DateField(_("receipt acknowledged on"), null=True, blank=True)
    executed_document_number = models.CharField(_("executed document number"), max_length=50, blank=True)
    executed_document_date = models.DateField(_("executed document date"), null=True, blank=True)
    case_file_number = models.CharField(_("case file number"), max_length=50, blank=True)

    # Optimistic locking (core.concurrency): a save carrying an older version is refused, not overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()
    access = OFFICER_ONLY

    class Meta:
        verbose_name = _("inducement notification")
        verbose_name_plural = _("inducement notifications")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "sequence"], name="inducement_sequence_unique"),
            models.CheckConstraint(condition=Q(sheets__gte=1), name="inducement_sheets_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}/{self.year}"


class OfficerNotice(models.Model):
    """The outbox of the officers' e-mails: a report or a whistleblower's message that the officers must hear about.

    Written in the transaction that saves the report or message, so a notice exists exactly when the case does,
    whatever the broker does afterwards. The worker mails it (a task kicked on commit, and a periodic drain that
    retries with back-off until the mail server accepts it) and stamps `sent_at`; the e-mail itself carries no content.
    """

    report = models.ForeignKey(
        WhistleblowerReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="officer_notices"
    )
    # Empty for the notice that the report arrived; set for a notice that the whistleblower wrote.
    message = models.ForeignKey(
        ReportMessage,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="officer_notices",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The class of the last failure (e.g. SMTPServerDisconnected), never a message that could quote content.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice to the officers")
        verbose_name_plural = _("notices to the officers")
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(message__isnull=True), name="officer_notice_one_per_report"
            ),
            models.UniqueConstraint(
                fields=["message"], condition=Q(message__isnull=False), name="officer_notice_one_per_message"
            ),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="officer_notice_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.message_id or '-'} {self.sent_at or 'unsent'}"


class CaseErasure(models.Model):
    """The record that a case's content was erased (retention): when, why and what kinds of data went.

    The report row itself stays as the journal's registration record; this row is what remains of everything else.
    """

    report = models.OneToOneField(
        WhistleblowerReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="erasure"
    )
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=20, choices=ErasureReason.choices)
    # What went, as counts by kind (identity, texts, messages, attachments, files, notice texts, receipt).
    erased = models.JSONField(_("what was erased"), default=dict)

    objects = ScopedQuerySet.as_manager()
    access = CASE_RULE

    class Meta:
        verbose_name = _("case erasure")
        verbose_name_plural = _("case erasures")

    def __str__(self) -> str:
        return f"{self.report} {self.erased_at:%d.%m.%Y}"


# Models defined in a module of their own, gathered here so that Django finds them.
from whistleblowers.disclosure_models import DisclosureNotice  # noqa: E402, F401
