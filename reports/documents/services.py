"""Report documents: requested on the web or API, rendered by the worker, stored with their SHA-256.

A request records a GeneratedReport and enqueues the worker after the transaction commits. The same inputs (the
document's data, kind, format and language) reuse the file already rendered; changed data gives a new version. The
request never builds the document: its fingerprint is digested from the rows the document reads (`fingerprints`).

A kind of document is a builder in `build_document` (the worker's) and a function naming the rows it reads in
`fingerprints.SOURCES` (the request's).

Nothing waits for ever: a report the broker did not take (Redis down) keeps `queued_at` empty and the periodic sweep
sends it again; a report whose worker died is redelivered by Redis after the visibility timeout, and one still
pending or rendering past REPORT_STALE_SECONDS is sent again by the sweep, or failed after MAX_ATTEMPTS renders.
Asking again for a stale or failed report starts a new one.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record
from programs.models import Organisation, Program
from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.content import Document, execution_document
from reports.documents.fingerprints import document_fingerprint
from reports.documents.journals import inducement_journal, whistleblower_journal
from reports.documents.models import CONFIDENTIAL_KINDS, GeneratedReport
from reports.documents.pdf import render_pdf
from reports.documents.program import form1_document, program_document
from reports.documents.register import register_document, register_request_errors
from reports.documents.sealing import report_sealed_content, seal_identity
from reports.execution.models import ReportingPeriod
from reports.permissions import may_request_report

# Form 1 is the Kyrgyz practice: it is always filed in Russian.
FIXED_LANGUAGE = {ReportKind.FORM1: "ru"}
CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.PDFA: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSIONS = {ReportFormat.PDF: "pdf", ReportFormat.PDFA: "pdf", ReportFormat.XLSX: "xlsx", ReportFormat.DOCX: "docx"}
# A report whose render killed its worker this many times (out of memory, say) is failed rather than tried again.
MAX_ATTEMPTS = 3
# How long a new report may wait for its own hand-over to the broker (after its commit) before the sweep sends it.
SEND_GRACE = timedelta(seconds=30)

logger = logging.getLogger(__name__)


class ReportRequestError(ValidationError):
    """The request names something the user cannot report on; nothing is recorded."""


@dataclass(frozen=True)
class ReportInputs:
    kind: str
    organisation: Organisation
    program: Program | None = None
    period: ReportingPeriod | None = None
    year: int | None = None
    language: str = "uk"


def build_document(inputs: ReportInputs) -> Document:
    """The document for a kind, from the database as it is now."""
    kind = inputs.kind
    if kind == ReportKind.EXECUTION:
        return execution_document(program=inputs.program, period=inputs.period, language=inputs.language)
    if kind == ReportKind.FORM1:
        return form1_document(program=inputs.program, period=inputs.period, language=inputs.language)
    if kind == ReportKind.PROGRAM:
        return program_document(program=inputs.program, language=inputs.language)
    if kind == ReportKind.RISK_REGISTER:
        return register_document(program=inputs.program, year=inputs.year, language=inputs.language)
    if kind == ReportKind.INDUCEMENT_JOURNAL:
        return inducement_journal(organisation=inputs.organisation, year=inputs.year, language=inputs.language)
    return whistleblower_journal(organisation=inputs.organisation, year=inputs.year, language=inputs.language)


def _validated_inputs(
    *,
    user,
    kind: str,
    program: Program | None,
    period: ReportingPeriod | None,
    organisation: Organisation | None,
    year: int | None,
    file_format: str,
    language: str,
) -> ReportInputs:
    errors: dict[str, str] = {}
    if kind not in ReportKind.values:
        raise ReportRequestError({"kind": _("Unknown kind of report.")})
    if file_format not in ReportFormat.values:
        raise ReportRequestError({"format": _("Unknown format.")})
    needs_program = kind in (ReportKind.EXECUTION, ReportKind.FORM1, ReportKind.PROGRAM, ReportKind.RISK_REGISTER)
    if needs_program:
        if program is None or not Program.objects.restrict(user).filter(pk=program.pk).exists():
            raise ReportRequestError({"program": _("Unknown program.")})
        organisation = program.organisation
        if kind == ReportKind.FORM1 and organisation.working_language != FIXED_LANGUAGE[ReportKind.FORM1]:
            # Form 1 is the Kyrgyz form, in Russian; a Ukrainian body's texts would sit in a Russian frame.
            raise ReportRequestError(
                {
                    "kind": _(
                        "Form 1 is the Kyrgyz report form, filed in Russian; this program's body writes in another "
                        "language. Choose the execution report instead."
                    )
                }
            )
        if kind == ReportKind.RISK_REGISTER:
            period = None
            errors.update(register_request_errors(program=program, year=year, file_format=file_format))
        elif kind != ReportKind.PROGRAM:
            if period is None:
                errors["period"] = _("Choose the reporting period.")
            elif period.program_id != program.pk:
                errors["period"] = _("The period does not belong to this program.")
        else:
            period = None
        year = year if kind == ReportKind.RISK_REGISTER else None
    else:
        if organisation is None:
            raise ReportRequestError({"organisation": _("Unknown organisation.")})
        if year is None or not 2000 <= year <= 2100:
            errors["year"] = _("Enter the year of the journal.")
        program = period = None
    if not may_request_report(user, kind, organisation.pk):
        raise ReportRequestError({"kind": _("You may not prepare this report for this organisation.")})
    if errors:
        raise ReportRequestError(errors)
    return ReportInputs(
        kind=kind,
        organisation=organisation,
        program=program,
        period=period,
        year=year,
        language=FIXED_LANGUAGE.get(kind, language),
    )


@transaction.atomic
def report_request(
    *,
    user,
    kind: str,
    program: Program | None = None,
    period: ReportingPeriod | None = None,
    organisation: Organisation | None = None,
    year: int | None = None,
    file_format: str = ReportFormat.PDF,
    language: str = "uk",
) -> GeneratedReport:
    """Record a report request and hand it to the worker; the same inputs reuse the file already rendered.

    Invalid requests raise ReportRequestError before anything is written.
    """
    inputs = _validated_inputs(
        user=user,
        kind=kind,
        program=program,
        period=period,
        organisation=organisation,
        year=year,
        file_format=file_format,
        language=language,
    )
    fingerprint = document_fingerprint(inputs, file_format=file_format)
    seal = seal_identity(kind=kind, file_format=file_format, period=inputs.period)
    if seal:
        fingerprint = hashlib.sha256(f"{fingerprint}:sealed:{seal}".encode()).hexdigest()
    existing = (
        GeneratedReport.objects.select_for_update()
        .filter(fingerprint=fingerprint, organisation=inputs.organisation)
        .exclude(status__in=(ReportStatus.FAILED, ReportStatus.WITHDRAWN))
        .order_by("-requested_at")
        .first()
    )
    if existing is not None and not report_is_stale(existing, now=timezone.now(), for_request=True):
        return existing
    if existing is not None:
        # Asking again is the user's way out of a stuck report: the old one gives way to a new one.
        report_fail(report_id=existing.pk, reason=str(_("This report did not finish; it was requested again.")))
    report = GeneratedReport.objects.create(
        organisation=inputs.organisation,
        program=inputs.program,
        period=inputs.period,
        year=inputs.year,
        kind=kind,
        format=file_format,
        language=inputs.language,
        fingerprint=fingerprint,
        requested_by=user,
    )
    # robust: with tasks executed in-process, a rendering failure is recorded on the report, not raised at the user.
    transaction.on_commit(lambda: report_dispatch(report_id=report.pk), robust=True)
    return report


def report_retry(*, user, report: GeneratedReport) -> GeneratedReport:
    """The "try again" of a failed or stuck report: the same inputs requested anew (a live one is returned)."""
    if report.status == ReportStatus.READY:
        raise ValidationError(_("This report is ready; there is nothing to try again."))
    return report_request(
        user=user,
        kind=report.kind,
        program=report.program,
        period=report.period,
        organisation=report.organisation,
        year=report.year,
        file_format=report.format,
        language=report.language,
    )


def report_dispatch(*, report_id: int) -> bool:
    """Hand a pending report to the worker; False when the broker refused it, and the sweep sends it again."""
    from reports.documents.tasks import render_report

    try:
        render_report.delay(report_id)
    except Exception:
        if render_report.app.conf.task_always_eager:
            raise  # rendered in-process: the failure is the render's, already recorded on the report
        logger.warning("Report %s was not handed to the worker; the sweep sends it again.", report_id, exc_info=True)
        GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(
            error=str(_("The worker could not be reached. The portal keeps trying; you may also try again."))
        )
        return False
    GeneratedReport.objects.filter(pk=report_id, queued_at__isnull=True).update(queued_at=timezone.now(), error="")
    return True


def report_is_stale(report: GeneratedReport, *, now: datetime, for_request: bool = False) -> bool:
    """A pending or rendering report nobody is working on any more.

    A report the broker refused is stale once SEND_GRACE passed (time for the request's own hand-over), or at once
    when the user asks again after the refusal was recorded; otherwise a report is stale REPORT_STALE_SECONDS after it
    was queued or started, which is longer than the broker's redelivery of a render whose worker died.
    """
    stale_after = timedelta(seconds=settings.REPORT_STALE_SECONDS)
    if report.status == ReportStatus.PENDING:
        if report.queued_at is None:
            return (for_request and bool(report.error)) or report.requested_at < now - SEND_GRACE
        return report.queued_at < now - stale_after
    if report.status == ReportStatus.RUNNING:
        return report.started_at is None or report.started_at < now - stale_after
    return False


def render_document(document: Document, *, file_format: str, language: str) -> bytes:
    # Imported when asked for: a worker rendering PDFs need not hold openpyxl and python-docx (issue 21: memory).
    if file_format == ReportFormat.XLSX:
        from reports.documents.xlsx import render_xlsx

        return render_xlsx(document, language=language)
    if file_format == ReportFormat.DOCX:
        from reports.documents.docx import render_docx

        return render_docx(document, language=language)
    with translation.override(language):
        context = {"document": document, "generated_on": timezone.localdate(), "LANGUAGE_CODE": language}
        html = render_to_string(document.template, context)
    return render_pdf(html, archival=file_format == ReportFormat.PDFA)


def report_render(*, report_id: int) -> GeneratedReport | None:
    """Render a requested report and store the file with its SHA-256. Safe to run twice for one report."""
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().filter(pk=report_id).first()
        # A failed report stays failed: asking again makes a new one, and a late copy of its task must not revive it.
        if report is None or report.status in (ReportStatus.READY, ReportStatus.FAILED, ReportStatus.WITHDRAWN):
            return report
        if report.attempts >= MAX_ATTEMPTS:
            report.status = ReportStatus.FAILED
            report.error = str(_("The worker stopped every time it rendered this report. Request it again."))
            report.finished_at = timezone.now()
            report.save(update_fields=["status", "error", "finished_at"])
            return report
        report.status = ReportStatus.RUNNING
        report.started_at = timezone.now()
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "attempts", "error"])
    inputs = ReportInputs(
        kind=report.kind,
        organisation=report.organisation,
        program=report.program,
        period=report.period,
        year=report.year,
        language=report.language,
    )
    content = render_document(build_document(inputs), file_format=report.format, language=report.language)
    # The stored SHA-256 is of the sealed file: the one people download and check.
    content = report_sealed_content(report=report, content=content)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.WITHDRAWN:
            # A case it may quote was erased while it rendered: what was made is dropped, never stored.
            return report
        name = f"{report.kind}-{report.pk}-{digest[:12]}.{EXTENSIONS[report.format]}"
        report.file.save(name, ContentFile(content), save=False)
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


def reports_sweep() -> tuple[int, int]:
    """Send again the reports nobody is working on, or fail those tried MAX_ATTEMPTS times; (re-sent, failed).

    Periodic (beat, every REPORT_SWEEP_SECONDS). A stale report is past the broker's redelivery and the hard time
    limit, so no render of it can still be running when it is sent again.
    """
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.REPORT_STALE_SECONDS)
    candidates = GeneratedReport.objects.filter(
        Q(status=ReportStatus.PENDING, queued_at__isnull=True, requested_at__lt=now - SEND_GRACE)
        | Q(status=ReportStatus.PENDING, queued_at__lt=stale_before)
        | Q(status=ReportStatus.RUNNING, started_at__lt=stale_before)
        | Q(status=ReportStatus.RUNNING, started_at__isnull=True)
    )
    resend, failed = [], 0
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            report = GeneratedReport.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if report is None or not report_is_stale(report, now=now):
                continue
            if report.attempts >= MAX_ATTEMPTS:
                report.status = ReportStatus.FAILED
                report.error = str(_("The worker stopped while rendering this report. Request it again."))
                report.finished_at = now
                report.save(update_fields=["status", "error", "finished_at"])
                failed += 1
                continue
            report.status = ReportStatus.PENDING
            report.queued_at = None
            report.save(update_fields=["status", "queued_at"])
            resend.append(pk)
    sent = sum(report_dispatch(report_id=pk) for pk in resend)
    return sent, failed


def report_downloaded(*, report: GeneratedReport, request) -> None:
    """A rendered report left the portal (the page and the API download both call this): an export to audit."""
    audit_record(
        AuditAction.EXPORTED,
        request=request,
        organisation=report.organisation,
        target=report,
        kind=report.kind,
        format=report.format,
    )


@transaction.atomic
def report_publish(*, report: GeneratedReport, user, public: bool) -> GeneratedReport:
    """Publish a ready report on the organisation's public page (seed 001: published every half-year), or withdraw."""
    if report.kind in CONFIDENTIAL_KINDS:
        raise ValidationError(_("Journals are confidential and cannot be published."))
    if public and report.status != ReportStatus.READY:
        raise ValidationError(_("Only a ready report can be published."))
    report.is_public = public
    report.published_at = timezone.now() if public else None
    report.save(update_fields=["is_public", "published_at"])
    audit_record(
        AuditAction.REPORT_PUBLISHED if public else AuditAction.REPORT_WITHDRAWN,
        actor=user,
        organisation=report.organisation,
        target=report,
        kind=report.kind,
    )
    return report
