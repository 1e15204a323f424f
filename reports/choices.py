from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeriodState(models.TextChoices):
    OPEN = "open", _("Open for reporting")
    UNDER_REVIEW = "under_review", _("Under commission review")
    APPROVED = "approved", _("Approved (locked)")


class PeriodAction(models.TextChoices):
    SENT_FOR_REVIEW = "sent_for_review", _("Sent for commission review")
    APPROVED = "approved", _("Approved by the commission")
    REOPENED = "reopened", _("Reopened")
    REMINDED = "reminded", _("Reminder sent")
    AUTO_REMINDED = "auto_reminded", _("Automatic reminder before the due date")
    OVERDUE_REMINDED = "overdue_reminded", _("Automatic reminder of an overdue report")
    OPENED_EARLY = "opened_early", _("Opened to units before the quarter began")


class ExecutionStatus(models.TextChoices):
    """NAZK's monitoring vocabulary (dap.nazk.gov.ua) plus "not yet due"."""

    DONE = "done", _("Done")
    PARTIALLY_DONE = "partially_done", _("Partially done")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_DONE = "not_done", _("Not done")
    NOT_STARTED = "not_started", _("Not started")
    NOT_DUE = "not_due", _("Not yet due")


class EntryState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("entry state", "Draft")
    SUBMITTED = "submitted", _("Submitted")


class EvidenceKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    ORDER = "order", _("Order")
    PROTOCOL = "protocol", _("Protocol")
    MEMO = "memo", _("Memo")
    INSTRUCTION = "instruction", _("Instruction")
    WEB_PAGE = "web_page", _("Web page")
    FILE = "file", _("File")


class Grade(models.TextChoices):
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class ReportKind(models.TextChoices):
    EXECUTION = "execution", _("Information on the execution of measures")
    PROGRAM = "program", _("Program document")
    FORM1 = "form1", _("Form 1 (Kyrgyz Republic)")
    INDUCEMENT_JOURNAL = "inducement_journal", _("Journal of inducement notifications")
    WHISTLEBLOWER_JOURNAL = "whistleblower_journal", _("Journal of whistleblower reports")
    RISK_REGISTER = "risk_register", _("Updated corruption risk register")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    PDFA = "pdfa", "PDF/A"
    XLSX = "xlsx", "Excel (.xlsx)"
    DOCX = "docx", "Word (.docx)"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    # A journal whose file was deleted because a case it quoted was erased at the end of its retention period.
    WITHDRAWN = (
        "withdrawn",
        _("Withdrawn after the erasure of a whistleblower report at the end of its retention period: request it again"),
    )


class SealState(models.TextChoices):
    """What a check of a report's electronic seal found."""

    SIGNED = "signed", _("Signed")
    UNSIGNED = "unsigned", _("Not signed")
    INVALID = "invalid", _("Signature INVALID")
