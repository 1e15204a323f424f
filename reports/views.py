from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from programs.access import Action
from programs.selectors import program_get

from .choices import ReportStatus
from .forms import ExecutionReportRequestForm
from .selectors import generated_report_list, period_list
from .services import report_request


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = generated_report_list(user=request.user).order_by("-requested_at")[:100]
    return render(request, "reports/report_list.html", {"reports": reports})


@login_required
def program_report_request(request: HttpRequest, program_pk: int) -> HttpResponse:
    """Ask the worker for the execution report of a program for one period."""
    program = program_get(user=request.user, pk=program_pk, action=Action.CHANGE)
    periods = period_list(user=request.user, program=program)
    form = ExecutionReportRequestForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_request(
                user=request.user, kind=form.cleaned_data["kind"], program=program,
                period=form.cleaned_data["period"], file_format=form.cleaned_data["format"],
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_request.html", {"program": program, "form": form},
                  status=400 if form.errors else 200)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(generated_report_list(user=request.user), pk=pk)
    waiting = report.status in (ReportStatus.PENDING, ReportStatus.RUNNING)
    return render(request, "reports/report_detail.html", {"report": report, "waiting": waiting})


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(generated_report_list(user=request.user), pk=pk)
    if report.status != ReportStatus.READY:
        raise Http404
    filename = f"{report.kind}-{report.pk}.pdf"
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")

