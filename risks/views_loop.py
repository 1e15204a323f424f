"""The risk loop in the browser: signals from whistleblower cases per risk, and residual scores from results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from risks.case_signals import signal_counts_by_risk, unregistered_signals
from risks.forms_loop import ResidualDecisionForm, SignalWindowForm
from risks.models import ConsequenceLevel, ProbabilityLevel, Risk
from risks.permissions import may_decide_residual, may_read_exact_signal_counts, may_read_unregistered_signals
from risks.residual_services import (
    ResidualRow,
    evaluated_periods,
    residual_decide,
    residual_rows,
    rule_for,
)
from risks.selectors import attach_levels, program_for, risk_get, risk_list


@login_required
def risk_signals_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    form = SignalWindowForm(request.GET or None)
    window = form.window()
    exact = may_read_exact_signal_counts(request.user, program.organisation_id)
    counts = signal_counts_by_risk(program=program, window=window, exact=exact)
    risks = attach_levels(risk_list(user=request.user, program=program))
    rows = [(risk, counts.get(risk.pk)) for risk in risks]
    context = {
        "program": program,
        "form": form,
        "window": window,
        "rows": rows,
        "exact": exact,
        "unregistered": (
            unregistered_signals(organisation_id=program.organisation_id, window=window, exact=exact)
            if may_read_unregistered_signals(request.user, program)
            else None
        ),
    }
    return render(request, "risks/risk_signals.html", context, status=400 if form.errors else 200)


def _period_of(program, value) -> Model | None:
    """The evaluated period named by `value`, or the latest one; a period of another program is not found."""
    periods = evaluated_periods(program=program)
    if value in (None, ""):
        return periods[0] if periods else None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    found = next((period for period in periods if period.pk == pk), None)
    if found is None:
        raise Http404
    return found


def _render_review(request, program, period, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    rows: list[ResidualRow] = residual_rows(program=program, period=period) if period else []
    can_decide = may_decide_residual(request.user, program)
    forms = {}
    if can_decide:
        matrix = program.risk_matrix_id
        levels = (
            list(ProbabilityLevel.objects.filter(matrix_id=matrix).order_by("score")),
            list(ConsequenceLevel.objects.filter(matrix_id=matrix).order_by("score")),
        )
        for row in rows:
            prefix = f"risk-{row.risk.pk}"
            risk = row.risk
            initial = {
                "probability": row.proposed_probability or risk.residual_probability or risk.inherent_probability,
                "consequence": row.proposed_consequence or risk.residual_consequence or risk.inherent_consequence,
            }
            forms[row.risk.pk] = (bound or {}).get(row.risk.pk) or ResidualDecisionForm(
                program=program, prefix=prefix, initial=initial, levels=levels
            )
    context = {
        "program": program,
        "period": period,
        "periods": evaluated_periods(program=program),
        "rows": [(row, forms.get(row.risk.pk)) for row in rows],
        "can_decide": can_decide,
        "rule": rule_for(program.risk_matrix),
    }
    return render(request, "risks/residual_review.html", context, status=status)


@login_required
def residual_review_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    return _render_review(request, program, _period_of(program, request.GET.get("period")))


@login_required
@require_POST
def residual_decide_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Risk)
    risk = risk_get(user=request.user, program=program, pk=pk)
    if not may_decide_residual(request.user, program):
        raise PermissionDenied(_("Only the commission and its secretary settle residual scores."))
    period = _period_of(program, request.POST.get("period"))
    if period is None:
        raise Http404
    form = ResidualDecisionForm(request.POST, program=program, prefix=f"risk-{risk.pk}")
    if "accept" in request.POST:
        # Accepting takes the proposal as it stands now, whatever the selects showed.
        row = next(row for row in residual_rows(program=program, period=period) if row.risk.pk == risk.pk)
        if row.proposal is None:
            form.is_valid()
            form.add_error(None, _("There is no proposal to accept: no measure treating this risk was evaluated."))
            return _render_review(request, program, period, bound={risk.pk: form}, status=400)
        data = {"probability": row.proposed_probability, "consequence": row.proposed_consequence, "reason": ""}
    elif form.is_valid():
        data = form.cleaned_data
    else:
        return _render_review(request, program, period, bound={risk.pk: form}, status=400)
    try:
        assessment = residual_decide(user=request.user, risk=risk, period=period, **data)
    except ValidationError as error:
        form.is_valid()
        form.add_error(None, error)
        return _render_review(request, program, period, bound={risk.pk: form}, status=400)
    messages.success(
        request,
        _("Risk № %(number)s: the residual score %(probability)s × %(consequence)s is recorded (%(decision)s).")
        % {
            "number": risk.number,
            "probability": assessment.probability.score,
            "consequence": assessment.consequence.score,
            "decision": assessment.get_decision_display().lower(),
        },
    )
    return redirect(f"{reverse('risks:residual', args=[program.pk])}?period={period.pk}#risk-{risk.pk}")
