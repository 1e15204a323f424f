"""The period pages where units and the secretary report: the grid, one entry's page, grid cell saves, evidence."""

from __future__ import annotations

from contextlib import nullcontext

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Action
from core.concurrency import ConcurrentEditError
from core.downloads import private_file_response
from core.periods import PeriodKind
from measures.selectors import measure_list
from programs.selectors import program_get
from reports.choices import PeriodState
from reports.execution.filtersets import GridFilterSet
from reports.execution.forms import EntryForm, EvidenceForm, GridCellForm
from reports.execution.grid import (
    entry_queryset,
    filter_rows,
    measure_get,
    period_events,
    period_get,
    period_grid,
    reporter_periods,
)
from reports.execution.grid_html import GridPage, grid_rows_html, status_options
from reports.execution.models import Evidence, ExecutionEntry
from reports.execution.period_services import units_with_recipients
from reports.execution.selectors import period_list
from reports.execution.services import (
    entry_copy_previous,
    entry_edit,
    entry_save_draft,
    entry_submit,
    evidence_add,
    evidence_delete,
    grid_cell_get,
    period_editable_by,
)
from reports.permissions import may_evaluate_period, may_keep_period, may_remind_units, may_report_on_measure


def add_errors(error: ValidationError, *forms) -> None:
    """Put each message of a service's ValidationError on the form that has the field, else on the first form."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = next((form for form in forms if name in form.fields), None)
        if target is None:
            forms[0].add_error(None, errors)
        else:
            target.add_error(name, errors)


@login_required
def program_periods(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_get(user=request.user, pk=program_pk)
    periods = period_list(user=request.user, program=program)
    return render(request, "reports/execution/program_periods.html", {"program": program, "periods": periods})


@login_required
def my_periods(request: HttpRequest) -> HttpResponse:
    """A unit reporter's start: the open quarters of the programs they report for."""
    return render(request, "reports/execution/my_periods.html", {"periods": reporter_periods(user=request.user)})


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid: every measure of the program for the period (a unit reporter: only their units' measures)."""
    period = period_get(user=request.user, pk=pk)
    return render(request, "reports/execution/period_detail.html", _grid_context(request, period))


def _grid_context(request: HttpRequest, period, *, refused: tuple[int, dict, list[str]] | None = None) -> dict:
    """The grid page's context; `refused` (measure id, posted values, errors) shows a refused row save again."""
    program = period.program
    filterset = GridFilterSet(request.GET or None, queryset=None, program=program)
    filterset.queryset = measure_list(user=request.user, program=program)
    measures = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    grid = period_grid(user=request.user, period=period, measures=measures)
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    rows = filter_rows(grid.rows, status=data.get("status") or "", submitted=data.get("submitted") or "")
    if refused is not None:
        measure_pk, posted, errors = refused
        for row in rows:
            if row.measure.pk == measure_pk:
                row.posted, row.errors = posted, errors
    secretary = may_keep_period(request.user, period)
    editable = period_editable_by(request.user, period) and (secretary or not request.user.is_anonymous)
    grid_editable = secretary and period_editable_by(request.user, period)
    compact = request.GET.get("density") == "compact"
    others = request.GET.copy()
    others.pop("edit", None)
    page = GridPage(
        period_pk=period.pk,
        editable=grid_editable,
        entries_editable=editable,
        compact=compact,
        csrf_token=get_token(request) if grid_editable or editable else "",
        edit_prefix=f"?{others.urlencode()}&edit=" if others else "?edit=",
        edit_pk=_edited_row(request),
    )
    return {
        "period": period,
        "program": program,
        "grid": grid,
        "rows": rows,
        "filterset": filterset,
        "is_secretary": secretary,
        "grid_editable": grid_editable,
        "entries_editable": editable,
        "rows_html": grid_rows_html(rows, page),
        "can_remind": may_remind_units(request.user, period),
        "reachable_units": (units_with_recipients([item.unit for item in grid.not_submitted]) if secretary else set()),
        "can_review": may_evaluate_period(request.user, period),
        "is_rollup": period.kind != PeriodKind.QUARTER,
        "compact": compact,
        "past_due": period.state == PeriodState.OPEN and timezone.localdate() > period.submission_due,
        "events": period_events(period=period)[:20],
        "status_options": status_options() if grid_editable else "",
    }


def _edited_row(request: HttpRequest) -> int | None:
    """The row a browser without the grid script opened complete (`?edit=<measure id>`)."""
    value = request.GET.get("edit", "")
    return int(value) if value.isascii() and value.isdigit() else None


def _entry_for(user, period, measure) -> ExecutionEntry | None:
    return entry_queryset(user=user).filter(period=period, measure=measure).first()


def _initial(entry: ExecutionEntry | None) -> dict:
    if entry is None:
        return {"version": 0}
    fields = ("status", "narrative", "participants", "non_execution_reasons", "next_steps", "version")
    return {name: getattr(entry, name) for name in fields}


@login_required
def entry_detail(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    """One measure's entry: fill it in with its evidence, save a draft, submit."""
    period = period_get(user=request.user, pk=pk)
    measure = measure_get(user=request.user, period=period, pk=measure_pk)
    entry = _entry_for(request.user, period, measure)
    editable = period_editable_by(request.user, period) and may_report_on_measure(request.user, measure, period)
    form = EntryForm(request.POST or None, initial=_initial(entry))
    evidence_form = EvidenceForm(request.POST or None, request.FILES or None, prefix="evidence")
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("This entry cannot be changed: the period is locked or you do not report on it."))
        if form.is_valid() and evidence_form.is_valid():
            try:
                with transaction.atomic():
                    entry = entry_save_draft(
                        user=request.user,
                        measure=measure,
                        period=period,
                        changes=form.changes(),
                        expected_version=form.cleaned_data["version"],
                    )
                    if evidence_form.has_document():
                        evidence_add(
                            user=request.user,
                            entry=entry,
                            data=evidence_form.document(),
                            upload=evidence_form.cleaned_data.get("file"),
                        )
                    if request.POST.get("action") == "submit":
                        entry_submit(user=request.user, entry=entry, expected_version=entry.version)
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            except ValidationError as error:
                add_errors(error, form, evidence_form)
                status = 409 if isinstance(error, ConcurrentEditError) else 400
            else:
                if request.POST.get("action") == "submit":
                    messages.success(request, _("The entry is submitted to the secretary."))
                    return redirect(f"{reverse('reports:period', args=[period.pk])}#measure-{measure.pk}")
                messages.success(request, _("The draft is saved."))
                return redirect("reports:entry", pk=period.pk, measure_pk=measure.pk)
        else:
            status = 400
        entry = _entry_for(request.user, period, measure)
    context = {
        "period": period,
        "measure": measure,
        "entry": entry,
        "form": form,
        "evidence_form": evidence_form,
        "editable": editable,
        "history": entry.history.select_related("history_user")[:20] if entry else [],
    }
    return render(request, "reports/execution/entry_detail.html", context, status=status)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@login_required
@require_POST
def grid_save(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    """A save from the grid: one field from the grid script, or a whole row from the plain form."""
    period, measure = grid_cell_get(user=request.user, period_pk=pk, measure_pk=measure_pk)
    # Permission first: a reader who may not report on the measure is refused whatever they sent.
    if not may_report_on_measure(request.user, measure, period):
        message = _("You do not report on this measure.")
        if _wants_json(request):
            return JsonResponse({"error": message}, status=403)
        raise PermissionDenied(message)
    form = GridCellForm(request.POST)
    back = f"{reverse('reports:period', args=[period.pk])}#measure-{measure.pk}"

    def refuse(errors: list[str], status: int) -> HttpResponse:
        # Without the grid script, the grid comes back with the row as typed and its errors beside it.
        if _wants_json(request):
            return JsonResponse({"error": " ".join(errors)}, status=status)
        context = _grid_context(request, period, refused=(measure.pk, request.POST, errors))
        return render(request, "reports/execution/period_detail.html", context, status=status)

    if not form.is_valid():
        return refuse([str(item) for errors in form.errors.values() for item in errors], 400)
    submit = bool(request.POST.get("submit"))
    try:
        # Saving and submitting are one change or none; a plain cell save is one transaction of its own already.
        with transaction.atomic() if submit else nullcontext():
            entry = entry_edit(
                user=request.user,
                measure=measure,
                period=period,
                changes=form.changes(),
                expected_version=form.cleaned_data["version"],
            )
            if submit:
                entry = entry_submit(user=request.user, entry=entry, expected_version=entry.version)
    except PermissionDenied as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error)}, status=403)
        raise
    except ValidationError as error:
        return refuse(error.messages, 409 if isinstance(error, ConcurrentEditError) else 400)
    if _wants_json(request):
        # The saved entry is at hand; the sentence only needs its documents (one query), not the entry read again.
        return JsonResponse(
            {
                "version": entry.version,
                "sentence": entry.sentence(),
                "state": entry.state,
                "state_label": entry.get_state_display(),
            }
        )
    messages.success(request, _("Saved: %(measure)s") % {"measure": measure.label or measure.content[:60]})
    return redirect(back)


@login_required
@require_POST
def entry_copy(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    period = period_get(user=request.user, pk=pk)
    measure = measure_get(user=request.user, period=period, pk=measure_pk)
    try:
        entry_copy_previous(user=request.user, measure=measure, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Last period's text is copied as a draft. Update it for this period."))
    return redirect("reports:entry", pk=period.pk, measure_pk=measure.pk)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Evidence.objects.restrict(request.user, Action.VIEW).select_related("entry__period__program", "entry__measure"),
        pk=pk,
    )
    entry = item.entry
    evidence_delete(user=request.user, evidence=item)
    messages.success(request, _("The document is removed from the entry."))
    return redirect("reports:entry", pk=entry.period_id, measure_pk=entry.measure_id)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Uploaded evidence lives in private storage; it is served only to those who may see the entry."""
    item = get_object_or_404(Evidence.objects.restrict(request.user, Action.VIEW), pk=pk)
    if not item.file:
        raise Http404
    return private_file_response(item.file, name=item.file.name)


def period_is_open(period) -> bool:
    return period.state == PeriodState.OPEN
