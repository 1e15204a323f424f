"""The commission: members with roles and terms, meetings with attendees and quorum, agenda items and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import Action, can
from core.concurrency import ConcurrentEditError
from core.history import history_for
from core.paging import paginate
from core.permissions import may_change_in, may_view_in, require_change, require_change_in
from programs.commission_forms import AgendaItemForm, CommissionForm, DecisionForm, MeetingForm, MemberForm
from programs.commission_services import (
    agenda_item_create,
    agenda_item_record_decision,
    commission_member_save,
    commission_save,
    meeting_quorum,
    meeting_save,
)
from programs.models import AgendaItem, Commission, CommissionMember
from programs.selectors import commission_members, meeting_get, meeting_items, meeting_list, organisation_get


def _status(form) -> int:
    if not (form.is_bound and form.errors):
        return 200
    return 409 if getattr(form, "concurrent_edit", False) else 400


def _refused(form, error: ValidationError) -> None:
    """Show the service's refusal above the form, which keeps what the user typed."""
    form.concurrent_edit = isinstance(error, ConcurrentEditError)
    form.add_error(None, error)


def _commission_of(user, organisation_pk: int) -> Commission:
    organisation = organisation_get(user=user, pk=organisation_pk)
    return get_object_or_404(
        Commission.objects.restrict(user).select_related("organisation"), organisation=organisation
    )


@login_required
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The commission of organisation `pk`: its members (current and former) and its meetings."""
    organisation = organisation_get(user=request.user, pk=pk)
    if not may_view_in(request.user, Commission, organisation.pk):
        raise Http404
    commission = Commission.objects.filter(organisation=organisation).first()
    can_change = may_change_in(request.user, Commission, organisation.pk)
    if commission is None:
        context = {"organisation": organisation, "commission": None, "can_change": can_change}
        return render(request, "programs/commission_detail.html", context)
    meetings, _query = paginate(request, meeting_list(user=request.user, commission=commission))
    context = {
        "organisation": organisation,
        "commission": commission,
        "members": commission_members(commission=commission),
        "meetings": meetings,
        "can_change": can_change,
    }
    return render(request, "programs/commission_detail.html", context)


@login_required
def commission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_get(user=request.user, pk=pk)
    if not may_view_in(request.user, Commission, organisation.pk):
        raise Http404
    require_change_in(request.user, Commission, organisation.pk)
    commission = Commission.objects.filter(organisation=organisation).first()
    form = CommissionForm(request.POST or None, instance=commission)
    if request.method == "POST" and form.is_valid():
        try:
            commission_save(
                user=request.user,
                organisation=organisation,
                expected_version=form.expected_version(),
                **form.data_without_version(),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The commission has been saved."))
            return redirect("programs:commission", pk=organisation.pk)
    context = {"form": form, "organisation": organisation}
    return render(request, "programs/commission_form.html", context, status=_status(form))


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _commission_of(request.user, pk)
    require_change(request.user, commission)
    form = MemberForm(request.POST or None, organisation=commission.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            commission_member_save(user=request.user, commission=commission, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The member has been added."))
            return redirect("programs:commission", pk=commission.organisation_id)
    context = {"form": form, "commission": commission, "organisation": commission.organisation}
    return render(request, "programs/member_form.html", context, status=_status(form))


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        CommissionMember.objects.restrict(request.user).select_related("commission__organisation"), pk=pk
    )
    commission = member.commission
    can_change = can(request.user, Action.CHANGE, member)
    form = MemberForm(request.POST or None, instance=member, organisation=commission.organisation)
    if request.method == "POST":
        require_change(request.user, member)
        if form.is_valid():
            try:
                commission_member_save(
                    user=request.user,
                    commission=commission,
                    data=form.data_without_version(),
                    member=member,
                    expected_version=form.expected_version(),
                )
            except ValidationError as error:
                _refused(form, error)
            else:
                messages.success(request, _("The member has been saved."))
                return redirect("programs:commission", pk=commission.organisation_id)
    context = {
        "form": form,
        "commission": commission,
        "organisation": commission.organisation,
        "member": member,
        "can_change": can_change,
        "history": history_for(member),
    }
    return render(request, "programs/member_form.html", context, status=_status(form))


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _commission_of(request.user, pk)
    require_change(request.user, commission)
    form = MeetingForm(request.POST or None, commission=commission)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_save(user=request.user, commission=commission, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting has been recorded."))
            return redirect(meeting)
    context = {"form": form, "commission": commission, "organisation": commission.organisation}
    return render(request, "programs/meeting_form.html", context, status=_status(form))


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_get(user=request.user, pk=pk)
    require_change(request.user, meeting)
    commission = meeting.commission
    form = MeetingForm(request.POST or None, instance=meeting, commission=commission)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_save(
                user=request.user,
                commission=commission,
                data=form.data_without_version(),
                meeting=meeting,
                expected_version=form.expected_version(),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect(meeting)
    context = {"form": form, "commission": commission, "organisation": commission.organisation, "meeting": meeting}
    return render(request, "programs/meeting_form.html", context, status=_status(form))


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_get(user=request.user, pk=pk)
    present, members, quorum = meeting_quorum(meeting)
    can_change = can(request.user, Action.CHANGE, meeting)
    context = {
        "meeting": meeting,
        "commission": meeting.commission,
        "organisation": meeting.commission.organisation,
        "attendees": meeting.attendees.order_by("role", "full_name"),
        "items": meeting_items(meeting=meeting),
        "present": present,
        "members": members,
        "quorum": quorum,
        "can_change": can_change,
        "item_form": AgendaItemForm() if can_change else None,
    }
    return render(request, "programs/meeting_detail.html", context)


@login_required
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_get(user=request.user, pk=pk)
    require_change(request.user, meeting)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = agenda_item_create(user=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("The question has been added to the agenda."))
        return redirect(reverse("programs:agenda-item-decision", args=[item.pk]))
    context = {"form": form, "meeting": meeting, "organisation": meeting.commission.organisation}
    return render(request, "programs/agenda_item_form.html", context, status=_status(form))


@login_required
def agenda_item_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """«Слухали / Вирішили» and the votes of one question; refused without a quorum."""
    item = get_object_or_404(
        AgendaItem.objects.restrict(request.user).select_related("meeting__commission__organisation"), pk=pk
    )
    require_change(request.user, item)
    meeting = item.meeting
    initial = {
        "heard": item.heard,
        "decided": item.decided,
        "decision_kind": item.decision_kind,
        "period": item.period_id,
        "revision": item.revision_id,
    }
    form = DecisionForm(request.POST or None, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agenda_item_record_decision(
                item=item,
                user=request.user,
                decided=data["decided"],
                heard=data["heard"],
                decision_kind=data["decision_kind"],
                period=data["period"],
                revision=data["revision"],
                votes=form.votes(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(meeting)
    present, members, quorum = meeting_quorum(meeting)
    context = {
        "form": form,
        "item": item,
        "meeting": meeting,
        "organisation": meeting.commission.organisation,
        "present": present,
        "members": members,
        "quorum": quorum,
    }
    return render(request, "programs/decision_form.html", context, status=_status(form))
