"""The start page: each role's to-do list, drawn from every app's selectors (this app sits above them all)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import user_organisation_ids, user_scope
from core.roles import Role
from measures.selectors import reporter_measure_list
from programs.models import Organisation
from programs.selectors import program_list as program_list_selector
from programs.selectors_people import pending_invitations
from reports.execution import todo
from reports.permissions import may_list_programs_on_home
from whistleblowers.selectors import officer_summary, officer_todo


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page per role: each block appears only for the roles the user holds."""
    scope = user_scope(request.user)
    user = request.user
    context = {"roles": scope.roles}
    if Role.SECRETARY in scope.roles:
        context["secretary_todo"] = todo.secretary_todo(user=user)
    if Role.REPORTER in scope.roles:
        context["reporter_todo"] = todo.reporter_todo(user=user)
    if Role.COMMISSION in scope.roles:
        context["commission_todo"] = todo.commission_todo(user=user)
    if Role.MANAGER in scope.roles:
        context["manager_todo"] = todo.manager_todo(user=user)
    if Role.OFFICER in scope.roles:
        context["officer_todo"] = officer_todo(user=user)
        context["whistleblower_summary"] = officer_summary(user=user)
    if Role.ADMIN in scope.roles:
        context["admin_todo"] = [
            (organisation, pending_invitations(organisation=organisation))
            for organisation in Organisation.objects.filter(pk__in=user_organisation_ids(user, {Role.ADMIN}))
        ]
    if may_list_programs_on_home(user):
        context["programs"] = program_list_selector(user=user)
    if Role.REPORTER in scope.roles:
        context["my_measures"] = reporter_measure_list(user=user).order_by(
            "task__section__program", "task__section__number", "task__number", "number"
        )[:200]
    return render(request, "programs/home.html", context)
