"""The organisation's structure: its units (abbreviations, parents, heads) and its child organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.concurrency import ConcurrentEditError
from core.history import history_for
from core.permissions import may_change_in, may_view_in, require_change, require_change_in
from programs.forms import OrganisationForm, UnitForm
from programs.models import Commission, Organisation, Program, Unit
from programs.permissions import may_manage_people
from programs.selectors import organisation_children, organisation_get, organisation_list, organisation_units
from programs.services import organisation_update, unit_save


@login_required
def organisation_index(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/organisation_list.html", {"organisations": organisation_list(user=request.user)})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation, its units in tree order and its territorial bodies and enterprises side by side."""
    organisation = organisation_get(user=request.user, pk=pk)
    user = request.user
    context = {
        "organisation": organisation,
        "units": organisation_units(organisation=organisation),
        "children": organisation_children(user=user, organisation=organisation),
        "programs": Program.objects.restrict(user).filter(organisation=organisation).order_by("-start_year"),
        "can_change_units": may_change_in(user, Unit, organisation.pk),
        "can_view_commission": may_view_in(user, Commission, organisation.pk),
        "can_manage_people": may_manage_people(user, organisation.pk),
        "can_edit_organisation": may_change_in(user, Organisation, organisation.pk),
        "history": history_for(organisation),
    }
    return render(request, "programs/organisation_detail.html", context)


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The administrator keeps the body's details, among them the name as sentences decline it."""
    organisation = organisation_get(user=request.user, pk=pk)
    require_change(request.user, organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(organisation=organisation, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation's details have been saved."))
            return redirect(organisation)
    status = 400 if form.errors else 200
    return render(
        request, "programs/organisation_form.html", {"form": form, "organisation": organisation}, status=status
    )


@login_required
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_get(user=request.user, pk=pk)
    require_change_in(request.user, Unit, organisation.pk)
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            unit_save(user=request.user, organisation=organisation, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit has been added."))
            return redirect(organisation)
    status = 400 if form.errors else 200
    return render(request, "programs/unit_form.html", {"form": form, "organisation": organisation}, status=status)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.restrict(request.user).select_related("organisation"), pk=pk)
    require_change(request.user, unit)
    organisation = unit.organisation
    form = UnitForm(request.POST or None, instance=unit, organisation=organisation)
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            unit_save(
                user=request.user,
                organisation=organisation,
                data=form.data_without_version(),
                unit=unit,
                expected_version=form.expected_version(),
            )
        except ConcurrentEditError as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit has been saved."))
            return redirect(organisation)
    context = {"form": form, "organisation": organisation, "unit": unit, "history": history_for(unit)}
    return render(request, "programs/unit_form.html", context, status=status if form.errors else 200)
