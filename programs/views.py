from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from measures.selectors import measure_sections_with_measures, reporter_measure_list
from reports.selectors import period_list
from risks.models import Risk
from risks.selectors import risk_list_with_levels

from .access import user_scope
from .choices import Role
from .models import Program
from .selectors import program_get
from .selectors import program_list as program_list_selector


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page per role: each block appears only for the roles the user holds."""
    scope = user_scope(request.user)
    context = {"roles": scope.roles}
    if request.user.is_superuser or scope.roles & {Role.SECRETARY, Role.COMMISSION, Role.MANAGER, Role.ADMIN}:
        context["programs"] = program_list_selector(user=request.user)
    if Role.REPORTER in scope.roles:
        context["my_measures"] = reporter_measure_list(user=request.user).order_by(
            "task__section__program", "task__section__number", "task__number", "number"
        )[:200]
    if Role.OFFICER in scope.roles:
        from whistleblowers.selectors import officer_summary

        context["whistleblower_summary"] = officer_summary(user=request.user)
    return render(request, "programs/home.html", context)


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/program_list.html", {"programs": program_list_selector(user=request.user)})


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_get(user=request.user, pk=pk)
    scope = user_scope(request.user)
    context = {
        "can_view_risks": request.user.is_superuser or program.organisation_id in scope.organisations(Risk.access.view),
        "can_request_reports": request.user.is_superuser
        or program.organisation_id in scope.organisations(Program.access.change),
        "program": program,
        "sections": measure_sections_with_measures(user=request.user, program=program),
        "risks": risk_list_with_levels(user=request.user, program=program),
        "periods": period_list(user=request.user, program=program),
    }
    return render(request, "programs/program_detail.html", context)
