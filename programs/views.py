from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.access import Action, can
from core.history import history_for
from core.paging import paginate
from core.permissions import may_change_in, may_view_in, require_change
from programs.current import current_organisation_id
from programs.filtersets import ProgramFilterSet
from programs.forms import ProgramForm, SectionForm, TransitionForm
from programs.lifecycle import allowed_transitions, is_locked
from programs.models import Commission, Program, ProgramSection
from programs.permissions import organisations_for_change
from programs.selectors import program_abbreviations, program_get, program_revisions, program_status_changes
from programs.selectors import program_list as program_list_selector
from programs.services import (
    program_create,
    program_section_create,
    program_section_update,
    program_transition,
    program_update,
)


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    """Programs the user may see, filtered by the same FilterSet as the API, a page at a time."""
    filterset = ProgramFilterSet(
        request.GET or None, queryset=program_list_selector(user=request.user), request=request
    )
    page, query = paginate(request, filterset.qs)
    context = {
        "filterset": filterset,
        "page": page,
        "programs": page.object_list,
        "query": query,
        "can_create": organisations_for_change(request.user, Program).exists(),
    }
    return render(request, "programs/program_list.html", context)


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The program with its parts. The panels of the apps above programs (measures, risks, reporting periods, the
    report button) are drawn by their own template tags, so this view imports none of them."""
    program = program_get(user=request.user, pk=pk)
    can_change = may_change_in(request.user, Program, program.organisation_id)
    context = {
        "can_change": can_change,
        "can_view_commission": may_view_in(request.user, Commission, program.organisation_id),
        "program": program,
        "locked": is_locked(program.status),
        "transitions": allowed_transitions(program.status),
        "abbreviations": program_abbreviations(program=program),
        "status_changes": program_status_changes(program=program),
        "revisions": program_revisions(program=program),
        "history": history_for(program),
    }
    return render(request, "programs/program_detail.html", context)


def _form_response(request, template: str, context: dict, form) -> HttpResponse:
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


@login_required
def program_create_view(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for_change(request.user, Program)
    if not organisations.exists():
        raise PermissionDenied
    # Someone working for several bodies starts in the one chosen in the header.
    initial = {"organisation": current_organisation_id(request)}
    form = ProgramForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = program_create(user=request.user, organisation=data["organisation"], data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The program has been created as a draft."))
            return redirect("programs:detail", pk=program.pk)
    return _form_response(request, "programs/program_form.html", {"form": form}, form)


@login_required
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_get(user=request.user, pk=pk)
    require_change(request.user, program)
    locked = is_locked(program.status)
    form = ProgramForm(request.POST or None, instance=program, locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program_update(
                program=program,
                user=request.user,
                data=data,
                expected_version=data["version"],
                revision=data.get("revision"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The program has been saved."))
            return redirect("programs:detail", pk=program.pk)
    context = {"form": form, "program": program, "locked": locked}
    return _form_response(request, "programs/program_form.html", context, form)


@login_required
def program_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the program along its lifecycle, recording who, when, why and by which document."""
    program = program_get(user=request.user, pk=pk)
    require_change(request.user, program)
    form = TransitionForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program_transition(
                program=program,
                to_status=data["to_status"],
                user=request.user,
                reason=data["reason"],
                document_number=data["document_number"],
                document_date=data["document_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The status of the program has been changed."))
            return redirect("programs:detail", pk=program.pk)
    context = {"form": form, "program": program, "status_changes": program_status_changes(program=program)}
    return _form_response(request, "programs/program_status.html", context, form)


@login_required
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_get(user=request.user, pk=pk)
    require_change(request.user, program)
    locked = is_locked(program.status)
    next_position = max((section.position for section in program.sections.all()), default=0) + 1
    form = SectionForm(request.POST or None, program=program, locked=locked, initial={"position": next_position})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            section = program_section_create(
                program=program,
                user=request.user,
                position=data["position"],
                title=data["title"],
                body=data["body"],
                revision=data.get("revision"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The section has been added."))
            return redirect(f"{program.get_absolute_url()}#section-{section.pk}")
    context = {"form": form, "program": program, "locked": locked}
    return _form_response(request, "programs/section_form.html", context, form)


@login_required
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(ProgramSection.objects.restrict(request.user).select_related("program"), pk=pk)
    program = section.program
    if not can(request.user, Action.CHANGE, program):
        raise PermissionDenied
    locked = is_locked(program.status)
    form = SectionForm(request.POST or None, instance=section, program=program, locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program_section_update(
                section=section,
                user=request.user,
                position=data["position"],
                title=data["title"],
                body=data["body"],
                expected_version=data["version"],
                revision=data.get("revision"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The section has been saved."))
            return redirect(f"{program.get_absolute_url()}#section-{section.pk}")
    context = {"form": form, "program": program, "section": section, "locked": locked, "history": history_for(section)}
    return _form_response(request, "programs/section_form.html", context, form)
