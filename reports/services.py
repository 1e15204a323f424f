"""Writes to reporting periods and generated reports."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programs.models import Program

from .choices import PeriodKind, ReportFormat, ReportKind, ReportStatus
from .documents import execution_document
from .models import GeneratedReport, ReportingPeriod
from .pdf import render_pdf
from .periods import period_bounds, submission_due

PERIOD_NUMBERS = {PeriodKind.QUARTER: (1, 2, 3, 4), PeriodKind.HALF_YEAR: (1, 2), PeriodKind.YEAR: (1,)}


@transaction.atomic
def reporting_periods_create(*, program: Program) -> list[ReportingPeriod]:
    """Quarters, half-years and years of every program year; existing periods are kept as they are."""
    periods = []
    for year in program.years:
        for kind, numbers in PERIOD_NUMBERS.items():
            for number in numbers:
                _, ends_on = period_bounds(kind, year, number)
                period, _created = ReportingPeriod.objects.get_or_create(
                    program=program,
                    kind=kind,
                    year=year,
                    number=number,
                    defaults={"submission_due": submission_due(ends_on, program.submission_due_days)},
                )
                periods.append(period)
    return periods


class ReportRequestError(ValidationError):
    """The request names something the user cannot report on; nothing is recorded."""


def _document_for(kind: str, program: Program, period: ReportingPeriod | None, language: str):
    if kind == ReportKind.EXECUTION:
        if period is None:
            raise ReportRequestError({"period": _("Choose the reporting period.")})
        return execution_document(program=program, period=period, language=language)
    raise ReportRequestError({"kind": _("This kind of report cannot be requested for a program yet.")})


@transaction.atomic
def report_request(
    *,
    user,
    kind: str,
    program: Program,
    period: ReportingPeriod | None = None,
    file_format: str = ReportFormat.PDF,
    language: str = "uk",
) -> GeneratedReport:
    """Record a report request and hand it to the worker; the same inputs reuse the file already rendered."""
    if not Program.objects.restrict(user).filter(pk=program.pk).exists():
        raise ReportRequestError({"program": _("Unknown program.")})
    if period is not None and period.program_id != program.pk:
        raise ReportRequestError({"period": _("The period does not belong to this program.")})
    if file_format not in (ReportFormat.PDF, ReportFormat.PDFA):
        raise ReportRequestError({"format": _("This format is not available for this report.")})
    document = _document_for(kind, program, period, language)
    fingerprint = document.fingerprint(kind=kind, file_format=file_format, language=language)
    existing = (
        GeneratedReport.objects.filter(fingerprint=fingerprint)
        .exclude(status=ReportStatus.FAILED)
        .order_by("-requested_at")
        .first()
    )
    if existing is not None:
        return existing
    report = GeneratedReport.objects.create(
        organisation=program.organisation,
        program=program,
        period=period,
        kind=kind,
        format=file_format,
        language=language,
        fingerprint=fingerprint,
        requested_by=user,
    )
    from .tasks import render_report

    # robust: with tasks executed in-process, a rendering failure is recorded on the report, not raised at the user.
    transaction.on_commit(lambda: render_report.delay(report.pk), robust=True)
    return report


def report_render(*, report_id: int) -> GeneratedReport | None:
    """Render a requested report and store the file with its SHA-256. Safe to run twice for one report."""
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == ReportStatus.READY:
            return report
        report.status = ReportStatus.RUNNING
        report.started_at = timezone.now()
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "attempts", "error"])
    document = _document_for(report.kind, report.program, report.period, report.language)
    with translation.override(report.language):
        html = render_to_string(
            "reports/pdf/execution.html", {"document": document, "generated_on": timezone.localdate()}
        )
    content = render_pdf(html, archival=report.format == ReportFormat.PDFA)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().get(pk=report_id)
        report.file.save(f"{report.kind}-{report.pk}-{digest[:12]}.pdf", ContentFile(content), save=False)
        report.sha256 = digest
        report.size = len(content)
        report.status = ReportStatus.READY
        report.finished_at = timezone.now()
        report.save()
    return report


def report_fail(*, report_id: int, reason: str) -> None:
    """Mark a report failed with a reason a person can read, so nothing stays "rendering" for ever."""
    GeneratedReport.objects.filter(pk=report_id).exclude(status=ReportStatus.READY).update(
        status=ReportStatus.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def reports_fail_stale(*, older_than: timedelta) -> int:
    """Reports left running by a worker that died mid-way are marked failed with the reason."""
    limit = timezone.now() - older_than
    return GeneratedReport.objects.filter(status=ReportStatus.RUNNING, started_at__lt=limit).update(
        status=ReportStatus.FAILED,
        error=str(_("The worker stopped while rendering this report. Request it again.")),
        finished_at=timezone.now(),
    )
