"""The annual re-assessment in the browser: the rounds, a round's page with a form per risk and the two lists, and the
commission's decision. The updated register's PDF is asked of the report worker from the reports app
(reports.documents.views.risk_register_request), which answers a refusal with this app's round page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.models import Program
from risks.forms_reassessment import RiskReassessmentForm, RoundDecisionForm, RoundOpenForm
from risks.models import ConsequenceLevel, ProbabilityLevel, ReassessmentRound
from risks.permissions import may_decide_reassessment, may_keep_register, may_reassess_risks
from risks.reassessment import (
    measures_without_risks,
    reassessment_round_decide,
    reassessment_round_open,
    reassessment_rows,
    risk_reassessment_record,
    risks_without_measures,
)
from risks.selectors import program_for, reassessment_round_get, risk_get


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _render_rounds(request, program, *, form=None, status: int = 200) -> HttpResponse:
    can_open = may_keep_register(request.user, program)
    rounds = ReassessmentRound.objects.restrict(request.user).filter(program=program).order_by("-year")
    if can_open and form is None:
        taken = set(rounds.values_list("year", flat=True))
        free = [year for year in program.years if year not in taken]
        form = RoundOpenForm(initial={"year": free[0] if free else None})
    context = {"program": program, "rounds": rounds, "form": form if can_open else None}
    return render(request, "risks/reassessment_list.html", context, status=status)


@login_required
def reassessment_list_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=ReassessmentRound)
    return _render_rounds(request, program)


@login_required
@require_POST
def reassessment_open_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=ReassessmentRound)
    if not may_keep_register(request.user, program):
        raise PermissionDenied(_("Only the secretary who keeps the register opens a re-assessment round."))
    form = RoundOpenForm(request.POST)
    if form.is_valid():
        try:
            round_ = reassessment_round_open(user=request.user, program=program, year=form.cleaned_data["year"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The re-assessment of %(year)s is open.") % {"year": round_.year})
            return redirect("risks:round", program.pk, round_.pk)
    return _render_rounds(request, program, form=form, status=400)


def round_page(
    request: HttpRequest,
    program: Program,
    round_: ReassessmentRound,
    *,
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """A round's page: a form per risk while it is open, the two lists; `bound` holds refused forms by risk."""
    rows = reassessment_rows(round_=round_)
    can_assess = round_.is_open and may_reassess_risks(request.user, program)
    forms = {}
    if can_assess:
        levels = (
            list(ProbabilityLevel.objects.filter(matrix_id=program.risk_matrix_id).order_by("score")),
            list(ConsequenceLevel.objects.filter(matrix_id=program.risk_matrix_id).order_by("score")),
        )
        for row in rows:
            assessment, risk = row.assessment, row.risk
            initial = {
                "probability": assessment.probability if assessment else risk.inherent_probability,
                "consequence": assessment.consequence if assessment else risk.inherent_consequence,
                "reasons": assessment.reasons if assessment else "",
                "version": assessment.version if assessment else 0,
            }
            forms[risk.pk] = (bound or {}).get(risk.pk) or RiskReassessmentForm(
                program=program, prefix=f"risk-{risk.pk}", initial=initial, levels=levels
            )
    # A refused form whose row shows no form any more (the round was decided meanwhile) says why above the rows.
    refusals = [
        error for risk_pk, form in (bound or {}).items() if risk_pk not in forms for error in form.non_field_errors()
    ]
    context = {
        "program": program,
        "round": round_,
        "refusals": refusals,
        "rows": [(row, forms.get(row.risk.pk)) for row in rows],
        "assessed": sum(1 for row in rows if row.assessment),
        "risks_without_measures": risks_without_measures(program=program),
        "untreated": measures_without_risks(program=program),
        "can_decide": round_.is_open and may_decide_reassessment(request.user, program),
    }
    return render(request, "risks/reassessment_round.html", context, status=status)


@login_required
def round_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=ReassessmentRound)
    return round_page(request, program, reassessment_round_get(user=request.user, program=program, pk=pk))


@login_required
@require_POST
def round_assess_view(request: HttpRequest, program_pk: int, pk: int, risk_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=ReassessmentRound)
    round_ = reassessment_round_get(user=request.user, program=program, pk=pk)
    risk = risk_get(user=request.user, program=program, pk=risk_pk)
    if not may_reassess_risks(request.user, program):
        raise PermissionDenied(_("Only the commission's working group and its secretary score the risks."))
    form = RiskReassessmentForm(request.POST, program=program, prefix=f"risk-{risk.pk}")
    if form.is_valid():
        try:
            assessment = risk_reassessment_record(user=request.user, round_=round_, risk=risk, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Risk № %(number)s: the new score %(probability)s × %(consequence)s is recorded.")
                % {
                    "number": risk.number,
                    "probability": assessment.probability.score,
                    "consequence": assessment.consequence.score,
                },
            )
            return redirect(f"{reverse('risks:round', args=[program.pk, round_.pk])}#risk-{risk.pk}")
    return round_page(request, program, round_, bound={risk.pk: form}, status=400)


@login_required
def round_decide_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=ReassessmentRound)
    round_ = reassessment_round_get(user=request.user, program=program, pk=pk)
    if not may_decide_reassessment(request.user, program):
        raise PermissionDenied(_("Only the commission and its secretary record the commission's decision."))
    form = RoundDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reassessment_round_decide(user=request.user, round_=round_, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The commission's decision is recorded: the register holds the scores of %(year)s.")
                % {"year": round_.year},
            )
            return redirect("risks:round", program.pk, round_.pk)
    rows = reassessment_rows(round_=round_)
    context = {
        "program": program,
        "round": round_,
        "form": form if round_.is_open else None,
        "unassessed": [row.risk for row in rows if row.assessment is None],
    }
    return render(request, "risks/reassessment_decide.html", context, status=400 if form.errors else 200)
