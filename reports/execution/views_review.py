"""The commission's side of a period: evaluations, the conclusion, approval by a meeting decision, reopening,
reminders to units that have not submitted, and the findings of non-execution for the head."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.choices import PeriodState
from reports.execution.automation import period_open_early
from reports.execution.forms import ApprovalForm, ConclusionForm, EvaluationForm, ReopenForm
from reports.execution.grid import entry_queryset, period_events, period_gaps, period_get, period_grid
from reports.execution.models import Evaluation
from reports.execution.period_services import (
    approval_decisions,
    period_approve,
    period_conclusion_save,
    period_remind,
    period_reopen,
    period_send_for_review,
)
from reports.execution.services import evaluation_save
from reports.permissions import may_evaluate_period, may_keep_period, may_read_review, require_keep_period


def _review_context(request, period, **forms) -> dict:
    grid = period_grid(user=request.user, period=period)
    decisions = approval_decisions(period=period)
    context = {
        "period": period,
        "program": period.program,
        "rows": [row for row in grid.rows if row.entry is not None or row.due],
        "grid": grid,
        "gaps": period_gaps(grid),
        "can_evaluate": may_evaluate_period(request.user, period) and period.state != PeriodState.APPROVED,
        "is_secretary": may_keep_period(request.user, period),
        "conclusion_form": ConclusionForm(initial={"conclusion": period.conclusion}),
        "approval_form": ApprovalForm(decisions=decisions),
        "has_decisions": decisions.exists(),
        "reopen_form": ReopenForm(),
        "events": period_events(period=period)[:50],
        "grades": EvaluationForm.base_fields["timeliness"].choices,
    }
    context.update(forms)
    return context


@login_required
def period_review(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_get(user=request.user, pk=pk)
    # Reading the review is open to the commission, the secretary and managers of the body or of a body above it;
    # evaluating and approving (may_evaluate_period, may_keep_period) only to those of the body itself.
    if not may_read_review(request.user, period):
        raise PermissionDenied(_("The review is for commission members and the secretary."))
    return render(request, "reports/execution/period_review.html", _review_context(request, period))


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _run(request, action, success: str) -> bool:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def period_send_review(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_get(user=request.user, pk=pk)
    _run(
        request,
        lambda: period_send_for_review(user=request.user, period=period),
        _("The period is sent for commission review. Units can no longer change their entries."),
    )
    return redirect("reports:review", pk=period.pk)


@login_required
@require_POST
def period_opening(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary opens a quarter to units before its first day."""
    period = period_get(user=request.user, pk=pk)
    require_keep_period(request.user, period)
    _run(
        request,
        lambda: period_open_early(user=request.user, period=period),
        _("%(period)s is open to units from today.") % {"period": period},
    )
    return redirect("reports:period", pk=period.pk)


@login_required
@require_POST
def period_conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_get(user=request.user, pk=pk)
    # Permission first: a refused user must never get the review page back, however bad their input.
    _require(
        may_evaluate_period(request.user, period), _("Only commission members and the secretary write the conclusion.")
    )
    form = ConclusionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "reports/execution/period_review.html",
            _review_context(request, period, conclusion_form=form),
            status=400,
        )
    _run(
        request,
        lambda: period_conclusion_save(user=request.user, period=period, conclusion=form.cleaned_data["conclusion"]),
        _("The conclusion is saved."),
    )
    return redirect("reports:review", pk=period.pk)


@login_required
@require_POST
def period_approval(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_get(user=request.user, pk=pk)
    _require(
        may_evaluate_period(request.user, period),
        _("Only commission members and the secretary record the commission's approval."),
    )
    form = ApprovalForm(request.POST, decisions=approval_decisions(period=period))
    if form.is_valid():
        try:
            period_approve(user=request.user, period=period, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is approved by the commission's decision and locked."))
            return redirect("reports:review", pk=period.pk)
    return render(
        request,
        "reports/execution/period_review.html",
        _review_context(request, period, approval_form=form),
        status=400,
    )


@login_required
@require_POST
def period_reopening(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_get(user=request.user, pk=pk)
    require_keep_period(request.user, period)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            period_reopen(user=request.user, period=period, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The period is open again; the reason is kept in its history."))
            return redirect("reports:review", pk=period.pk)
    return render(
        request, "reports/execution/period_review.html", _review_context(request, period, reopen_form=form), status=400
    )


@login_required
@require_POST
def entry_evaluation(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry = get_object_or_404(entry_queryset(user=request.user), pk=entry_pk)
    _require(
        may_evaluate_period(request.user, entry.period),
        _("Only commission members and the secretary evaluate entries."),
    )
    form = EvaluationForm(request.POST)
    back = f"{reverse('reports:review', args=[entry.period_id])}#entry-{entry.pk}"
    if not form.is_valid():
        messages.error(request, _("Grade timeliness, completeness and effectiveness."))
        return redirect(back)
    _run(
        request,
        lambda: evaluation_save(user=request.user, entry=entry, **form.cleaned_data),
        _("The evaluation is saved."),
    )
    return redirect(back)


@login_required
@require_POST
def period_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_get(user=request.user, pk=pk)
    grid = period_grid(user=request.user, period=period)
    outstanding = {item.unit.pk: item.unit for item in grid.not_submitted}
    # Only the ticked units: unticking a unit means it is not reminded, and ticking none reminds nobody.
    chosen = {int(pk) for pk in request.POST.getlist("unit") if pk.isdigit()}
    units = [unit for pk, unit in outstanding.items() if pk in chosen]
    try:
        event = period_remind(user=request.user, period=period, units=units)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        reminded = set(event.units.values_list("pk", flat=True))
        messages.success(request, _("Reminders are being sent to %(count)s units.") % {"count": len(reminded)})
        skipped = [unit.abbreviation for unit in units if unit.pk not in reminded]
        if skipped:
            messages.warning(
                request,
                _("Nobody to remind at %(units)s: no reporter with an e-mail address and no unit mailbox.")
                % {"units": ", ".join(skipped)},
            )
    return redirect(f"{reverse('reports:period', args=[period.pk])}#not-submitted")


@login_required
def period_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """For the head: measures due in the period and not done, done partly, or not reported at all."""
    period = period_get(user=request.user, pk=pk)
    grid = period_grid(user=request.user, period=period)
    evaluations = Evaluation.objects.filter(entry__period=period).count()
    return render(
        request,
        "reports/execution/period_findings.html",
        {"period": period, "program": period.program, "findings": grid.findings, "evaluations": evaluations},
    )
