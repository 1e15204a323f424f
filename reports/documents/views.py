from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Action
from core.paging import paginate
from programs.models import Organisation
from programs.selectors import program_get
from reports.choices import ReportKind, ReportStatus
from reports.documents.filenames import file_name_of
from reports.documents.filtersets import GeneratedReportFilterSet
from reports.documents.forms import JournalRequestForm, ProgramReportRequestForm, PublishForm
from reports.documents.models import CONFIDENTIAL_KINDS
from reports.documents.sealing import report_seal_check
from reports.documents.services import (
    CONTENT_TYPES,
    report_downloaded,
    report_is_stale,
    report_publish,
    report_request,
    report_retry,
)
from reports.execution.selectors import (
    generated_report_list,
    period_list,
    published_report_list,
    publishing_organisations,
)
from reports.permissions import may_request_journals, may_request_program_reports
from risks.models import ReassessmentRound
from risks.selectors import program_for, reassessment_round_get
from risks.views_reassessment import round_page
from whistleblowers.security import strict_headers
from whistleblowers.selectors import officer_organisations


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    filterset = GeneratedReportFilterSet(
        request.GET or None,
        queryset=generated_report_list(user=request.user).order_by("-requested_at", "-pk"),
        request=request,
    )
    # An invalid filter (a program the user cannot see, a made-up status) shows its error and the unfiltered list.
    reports = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, reports)
    can_request_journals = may_request_journals(request.user)
    return render(
        request,
        "reports/report_list.html",
        {"page": page, "query": query, "filterset": filterset, "can_request_journals": can_request_journals},
    )


def _submit(request: HttpRequest, form, **inputs) -> HttpResponse | None:
    """Pass a valid form to the service; a refused request becomes a form error and nothing is recorded."""
    try:
        report = report_request(
            user=request.user,
            kind=form.cleaned_data["kind"],
            file_format=form.cleaned_data["format"],
            language=request.LANGUAGE_CODE,
            **inputs,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return redirect("reports:detail", pk=report.pk)


@login_required
def program_report_request(request: HttpRequest, program_pk: int) -> HttpResponse:
    """Ask the worker for a document of a program: the execution report, the program itself or Form 1."""
    program = program_get(user=request.user, pk=program_pk)
    if not may_request_program_reports(request.user, program):
        raise Http404
    form = ProgramReportRequestForm(request.POST or None, periods=period_list(user=request.user, program=program))
    if request.method == "POST" and form.is_valid():
        response = _submit(request, form, program=program, period=form.cleaned_data["period"])
        if response is not None:
            return response
    status = 400 if form.errors else 200
    return render(request, "reports/report_request.html", {"program": program, "form": form}, status=status)


@login_required
@require_POST
def risk_register_request(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    """The register updated by a decided re-assessment round, as a PDF: asked of the report worker like every other
    document of the program. A refusal answers with the round's page, where the button was."""
    program = program_for(user=request.user, pk=program_pk, model=ReassessmentRound)
    round_ = reassessment_round_get(user=request.user, program=program, pk=pk)
    if not may_request_program_reports(request.user, program):
        raise PermissionDenied
    if round_.is_open:
        messages.error(request, _("The updated register is printed once the commission has decided the round."))
        return round_page(request, program, round_, status=400)
    try:
        report = report_request(
            user=request.user,
            kind=ReportKind.RISK_REGISTER,
            program=program,
            year=round_.year,
            # The register is the body's own document: in its working language, whatever the reader's interface.
            language=program.organisation.working_language,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return round_page(request, program, round_, status=400)
    return redirect("reports:detail", pk=report.pk)


@login_required
def journal_request(request: HttpRequest) -> HttpResponse:
    """The officer's journals (inducement notifications, whistleblower reports) for a year."""
    organisations = officer_organisations(user=request.user)
    if not organisations.exists():
        raise Http404
    form = JournalRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        response = _submit(
            request, form, organisation=form.cleaned_data["organisation"], year=form.cleaned_data["year"]
        )
        if response is not None:
            return response
    status = 400 if form.errors else 200
    return render(request, "reports/journal_request.html", {"form": form}, status=status)


def _detail_page(request: HttpRequest, report, *, status: int = 200) -> HttpResponse:
    stale = report_is_stale(report, now=timezone.now(), for_request=True)
    waiting = report.status in (ReportStatus.PENDING, ReportStatus.RUNNING) and not stale
    can_publish = generated_report_list(user=request.user, action=Action.CHANGE).filter(pk=report.pk).exists()
    context = {
        "report": report,
        "waiting": waiting,
        "stale": stale,
        "can_publish": can_publish,
        "can_retry": can_publish and (stale or report.status in (ReportStatus.FAILED, ReportStatus.WITHDRAWN)),
        "seal": report_seal_check(report),
    }
    return render(request, "reports/report_detail.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_object_or_404(generated_report_list(user=request.user), pk=pk))


@login_required
@require_POST
def report_try_again(request: HttpRequest, pk: int) -> HttpResponse:
    """A failed or stuck report requested anew with the same inputs; the user lands on the new one."""
    report = get_object_or_404(generated_report_list(user=request.user, action=Action.CHANGE), pk=pk)
    try:
        report = report_retry(user=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:detail", pk=report.pk)


def _file_response(report) -> FileResponse:
    filename = file_name_of(report)
    response = FileResponse(
        report.file.open("rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[report.format]
    )
    if report.kind in CONFIDENTIAL_KINDS:
        # A journal names whistleblowers' cases: no browser or proxy cache may keep a copy.
        add_never_cache_headers(response)
    return response


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(generated_report_list(user=request.user), pk=pk)
    if report.status == ReportStatus.WITHDRAWN:
        # Gone for good: the page says why and offers to request it again.
        return _detail_page(request, report, status=410)
    if report.status != ReportStatus.READY:
        raise Http404
    report_downloaded(report=report, request=request)
    return _file_response(report)


@login_required
@require_POST
def report_publication(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(generated_report_list(user=request.user, action=Action.CHANGE), pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("reports:detail", pk=pk)
    try:
        report_publish(report=report, user=request.user, public=form.cleaned_data.get("public", False))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published.") if report.is_public else _("Withdrawn from publication."))
    return redirect("reports:detail", pk=pk)


@strict_headers
def published_index(request: HttpRequest) -> HttpResponse:
    """The public list of organisations that publish reports (no login), each linking to its published reports."""
    return render(request, "reports/published_index.html", {"organisations": publishing_organisations()})


@strict_headers
def published_reports(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    """The public page of an organisation's published reports (no login)."""
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    reports = list(published_report_list(organisation=organisation))
    # The name the file downloads under, so the checking commands on the page can be copied as they are.
    for report in reports:
        report.file_name = file_name_of(report)
        # Checked on the server each time the page is shown (cached by the file's own hash): a broken seal shows.
        report.seal = report_seal_check(report)
    return render(request, "reports/published.html", {"organisation": organisation, "reports": reports})


@strict_headers
def published_download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(published_report_list(), pk=pk)
    return _file_response(report)
