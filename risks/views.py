"""The risk register in the browser: list with filters, heat map, detail with history, create and edit."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record
from core.access import Action
from core.concurrency import ConcurrentEditError
from core.downloads import spreadsheet_response
from core.history import history_for
from core.paging import paginate
from risks.case_signals import count_for, signal_counts_by_cell
from risks.excel import register_workbook
from risks.filtersets import RiskFilterSet
from risks.forms import RiskForm
from risks.forms_loop import SignalWindowForm
from risks.models import MatrixCell, Risk
from risks.permissions import may_read_exact_signal_counts
from risks.residual_services import residual_trail
from risks.selectors import attach_levels, can_change, program_for, risk_get, risk_heatmaps, risk_list
from risks.services import risk_create, risk_delete, risk_delete_check, risk_update


def confirm_delete(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    check: Callable[[], None],
    delete: Callable[[], None],
    done: str,
    next_url: str,
) -> HttpResponse:
    """A delete confirmation page: GET shows what would go or why it may not (`refusal`); POST deletes and goes to
    `next_url` with the `done` message, or shows the service's refusal with 400."""
    refusal: list[str] = []
    try:
        if request.method == "POST":
            delete()
            messages.success(request, done)
            return redirect(next_url)
        check()
    except ValidationError as error:
        refusal = error.messages
    status = 400 if refusal and request.method == "POST" else 200
    return render(request, template, {**context, "refusal": refusal}, status=status)


def _filtered(request: HttpRequest, program) -> RiskFilterSet:
    filterset = RiskFilterSet(
        request.GET or None, queryset=risk_list(user=request.user, program=program), request=request, program=program
    )
    filterset.form.fields.pop("program", None)  # the page's address names the program
    return filterset


@login_required
def risk_list_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    filterset = _filtered(request, program)
    page, query = paginate(request, filterset.qs)
    context = {
        "program": program,
        "filterset": filterset,
        "page": page,
        "risks": attach_levels(page.object_list),
        "query": query,
        "can_change": can_change(user=request.user, program=program, model=Risk),
    }
    return render(request, "risks/risk_list.html", context, status=400 if filterset.errors else 200)


@login_required
def risk_heatmap_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    filterset = _filtered(request, program)
    query = request.GET.copy()
    for name in (
        "page",
        "inherent_probability",
        "inherent_consequence",
        "residual_probability",
        "residual_consequence",
        "signals",
        "since",
        "until",
    ):
        query.pop(name, None)
    heatmaps = risk_heatmaps(program=program, risks=filterset.qs)
    overlay = request.GET.get("signals") == "on"
    window_form = SignalWindowForm(request.GET if overlay else None)
    if overlay:
        _overlay_signals(request, program, heatmaps, window_form)
    context = {
        "program": program,
        "filterset": filterset,
        "heatmaps": heatmaps,
        "query": query.urlencode(),
        "overlay": overlay,
        "window_form": window_form,
    }
    return render(request, "risks/risk_heatmap.html", context, status=400 if window_form.errors else 200)


def _overlay_signals(request: HttpRequest, program, heatmaps, window_form: SignalWindowForm) -> None:
    """Give each cell the cases that touched its risks in the window, masked below the threshold for non-officers."""
    exact = may_read_exact_signal_counts(request.user, program.organisation_id)
    for heat in heatmaps:
        counts = signal_counts_by_cell(program=program, window=window_form.window(), exact=exact, kind=heat.kind)
        for _probability, cells in heat.rows:
            for cell in cells:
                cell.signals = counts.get((cell.probability.pk, cell.consequence.pk)) or count_for(0, exact=exact)


@login_required
def risk_export_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    filterset = _filtered(request, program)
    content = register_workbook(attach_levels(filterset.qs))
    audit_record(
        AuditAction.EXPORTED, request=request, organisation=program.organisation, target=program, document="risks"
    )
    return spreadsheet_response(content, f"risk-register-{program.pk}.xlsx")


@login_required
def risk_detail_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    risk = attach_levels([risk_get(user=request.user, program=program, pk=pk)])[0]
    measures = (
        risk.measures.restrict(request.user)
        .select_related("task__section__program")
        .prefetch_related("responsible_units")
    )
    context = {
        "program": program,
        "risk": risk,
        "measures": measures,
        "history": history_for(risk),
        "residual_trail": residual_trail(risk=risk),
        "can_change": can_change(user=request.user, program=program, model=Risk),
    }
    return render(request, "risks/risk_detail.html", context)


def _matrix_legend(program) -> dict:
    cells = MatrixCell.objects.filter(matrix=program.risk_matrix).select_related("probability", "consequence", "level")
    by_pair = {(cell.probability.score, cell.consequence.score): cell for cell in cells}
    probabilities = sorted({cell.probability for cell in by_pair.values()}, key=lambda level: -level.score)
    consequences = sorted({cell.consequence for cell in by_pair.values()}, key=lambda level: level.score)
    rows = [(p, [by_pair.get((p.score, c.score)) for c in consequences]) for p in probabilities]
    return {"consequences": consequences, "rows": rows}


def _render_form(request, program, form, risk=None, status=200) -> HttpResponse:
    context = {"program": program, "form": form, "risk": risk, "legend": _matrix_legend(program)}
    return render(request, "risks/risk_form.html", context, status=status)


@login_required
def risk_create_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk, action=Action.CHANGE)
    form = RiskForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            risk = risk_create(program=program, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Risk № %(number)s was added to the register.") % {"number": risk.number})
            return redirect("risks:detail", program_pk=program.pk, pk=risk.pk)
    return _render_form(request, program, form, status=400 if form.errors else 200)


@login_required
def risk_update_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    risk = risk_get(user=request.user, program=program, pk=pk)
    program = program_for(user=request.user, pk=program_pk, model=Risk, action=Action.CHANGE)
    form = RiskForm(request.POST or None, instance=risk, program=program)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            risk_update(
                risk=risk,
                user=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except ConcurrentEditError as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Risk № %(number)s was saved.") % {"number": risk.number})
            return redirect("risks:detail", program_pk=program.pk, pk=risk.pk)
    if form.errors and status == 200:
        status = 400
    return _render_form(request, program, form, risk=risk, status=status)


@login_required
def risk_delete_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    risk = attach_levels([risk_get(user=request.user, program=program, pk=pk)])[0]
    program = program_for(user=request.user, pk=program_pk, model=Risk, action=Action.CHANGE)
    return confirm_delete(
        request,
        "risks/risk_confirm_delete.html",
        {"program": program, "risk": risk},
        check=lambda: risk_delete_check(risk=risk),
        delete=lambda: risk_delete(risk=risk, user=request.user),
        done=_("Risk № %(number)s was deleted from the register.") % {"number": risk.number},
        next_url=reverse("risks:list", args=[program.pk]),
    )
