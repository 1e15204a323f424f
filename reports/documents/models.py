"""Report documents: what was asked for, by whom, and the file the worker rendered."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.access import PROGRAM_EDITORS, PROGRAM_READERS, AccessRule, ScopedQuerySet
from core.roles import Role
from core.storage import encrypted_storage
from reports.choices import (
    ReportFormat,
    ReportKind,
    ReportStatus,
)

# Journals list whistleblower reports and inducement notifications: only the anti-corruption officer reads them.
CONFIDENTIAL_KINDS = (ReportKind.INDUCEMENT_JOURNAL, ReportKind.WHISTLEBLOWER_JOURNAL)


class GeneratedReport(models.Model):
    """A report document requested by a user and rendered by the worker (PDF, PDF/A or Excel)."""

    organisation = models.ForeignKey(
        "programs.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="reports"
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    period = models.ForeignKey(
        "reports.ReportingPeriod",
        verbose_name=_("period"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind.choices)
    # Journals cover a calendar year of an organisation rather than a program period.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices, default=ReportFormat.PDF)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="uk")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    error = models.TextField(_("error"), blank=True)
    # A digest of everything the document shows; the same inputs reuse the stored file.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    # Encrypted at rest: the journals among these files name whistleblowers' cases and those accused.
    file = models.FileField(_("file"), upload_to="reports/%Y/", blank=True, storage=encrypted_storage)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # When the broker accepted the render task; empty while the broker could not be reached (the sweep re-sends).
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    is_public = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    access = AccessRule(
        organisation="organisation",
        view=PROGRAM_READERS,
        change=PROGRAM_EDITORS | {Role.OFFICER},
        confidential=Q(kind__in=CONFIDENTIAL_KINDS),
        confidential_roles=frozenset({Role.OFFICER}),
    )

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.READY) | (~Q(sha256="") & ~Q(file="")),
                name="report_ready_has_file",
            ),
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(status=ReportStatus.READY, published_at__isnull=False),
                name="report_public_only_when_ready",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(finished_at__gte=F("started_at")),
                name="report_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_format_display()})"
