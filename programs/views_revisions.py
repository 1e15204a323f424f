"""Revisions of an approved program: grounds, the deadlines of seed 000 §IV, the deciding meeting, what changed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Action, can
from core.history import history_for
from core.permissions import require_change
from programs.choices import RevisionStatus
from programs.forms import RevisionCloseForm, RevisionForm
from programs.lifecycle import revision_deadlines
from programs.models import ProgramRevision
from programs.selectors import program_get, revision_get, revision_meetings
from programs.services import (
    OPEN_REVISION_STATUSES,
    program_revision_close,
    program_revision_open,
    program_revision_update,
)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
def revision_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_get(user=request.user, pk=pk)
    require_change(request.user, program)
    form = RevisionForm(request.POST or None, initial={"ground_arose_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = program_revision_open(
                program=program,
                user=request.user,
                ground=data["ground"],
                ground_arose_on=data["ground_arose_on"],
                ground_details=data["ground_details"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The grounds for the revision have been recorded."))
            return redirect(revision)
    return render(request, "programs/revision_form.html", {"form": form, "program": program}, status=_status(form))


def deadlines_for(revision: ProgramRevision, decisions) -> object:
    program = revision.program
    meeting = decisions[0].meeting if decisions else None
    return revision_deadlines(
        ground_arose_on=revision.ground_arose_on,
        decision_months=program.revision_decision_months,
        meeting_weeks=program.revision_meeting_weeks,
        protocol_working_days=program.revision_protocol_working_days,
        head_decision_on=revision.head_decision_on,
        meeting_held_on=meeting.held_on if meeting else None,
        protocol_signed_on=meeting.protocol_signed_on if meeting else None,
        today=timezone.localdate(),
    )


@login_required
def revision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    revision = revision_get(user=request.user, pk=pk)
    decisions = revision_meetings(revision=revision)
    can_change = can(request.user, Action.CHANGE, revision)
    context = {
        "revision": revision,
        "program": revision.program,
        "decisions": decisions,
        "deadlines": deadlines_for(revision, decisions),
        "can_change": can_change,
        "is_open": revision.status in OPEN_REVISION_STATUSES,
        "history": history_for(revision),
    }
    return render(request, "programs/revision_detail.html", context)


@login_required
def revision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    revision = revision_get(user=request.user, pk=pk)
    require_change(request.user, revision)
    form = RevisionForm(request.POST or None, instance=revision)
    if request.method == "POST" and form.is_valid():
        try:
            program_revision_update(revision=revision, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The revision has been saved."))
            return redirect(revision)
    context = {"form": form, "program": revision.program, "revision": revision}
    return render(request, "programs/revision_form.html", context, status=_status(form))


@login_required
def revision_close(request: HttpRequest, pk: int) -> HttpResponse:
    revision = revision_get(user=request.user, pk=pk)
    require_change(request.user, revision)
    form = RevisionCloseForm(request.POST or None, initial={"changes_summary": revision.changes_summary})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program_revision_close(
                revision=revision,
                user=request.user,
                outcome=data["outcome"],
                changes_summary=data["changes_summary"],
                order_number=data["order_number"],
                order_date=data["order_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if data["outcome"] == RevisionStatus.APPROVED:
                messages.success(request, _("The changes have been recorded as approved."))
            else:
                messages.success(request, _("The revision has been closed without changes."))
            return redirect(revision)
    context = {"form": form, "program": revision.program, "revision": revision}
    return render(request, "programs/revision_close.html", context, status=_status(form))
