"""Measures in the browser: list with filters, detail with history, create and edit, Excel import and export."""

from __future__ import annotations

import json
import re
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.choices import AuditAction
from audit.services import record as audit_record
from core.access import Action
from core.concurrency import ConcurrentEditError
from core.downloads import spreadsheet_response
from core.history import history_for
from core.paging import paginate
from core.permissions import may_view_in
from measures.excel import (
    ImportPreview,
    check_upload,
    measure_import,
    measures_workbook,
    parse_workbook,
    template_workbook,
)
from measures.filtersets import MeasureFilterSet
from measures.forms import MeasureForm, MeasureSectionForm, due_periods
from measures.models import Measure, MeasureSection
from measures.selectors import measure_list
from measures.services import (
    measure_create,
    measure_delete,
    measure_delete_check,
    measure_section_create,
    measure_update,
)
from programs.models import Program
from risks.models import Risk
from risks.selectors import can_change, program_for
from risks.views import confirm_delete

TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _filtered(request: HttpRequest, program: Program) -> MeasureFilterSet:
    filterset = MeasureFilterSet(
        request.GET or None, queryset=measure_list(user=request.user, program=program), request=request, program=program
    )
    filterset.form.fields.pop("program", None)  # the page's address names the program
    return filterset


def _context(request: HttpRequest, program: Program, **extra) -> dict:
    return {
        "program": program,
        "hide_risks": not _can_view_risks(request.user, program),
        **extra,
    }


def _can_view_risks(user, program: Program) -> bool:
    return may_view_in(user, Risk, program.organisation_id)


@login_required
def measure_list_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Measure)
    filterset = _filtered(request, program)
    page, query = paginate(request, filterset.qs)
    context = _context(
        request,
        program,
        filterset=filterset,
        page=page,
        query=query,
        can_change=can_change(user=request.user, program=program, model=Measure),
    )
    return render(request, "measures/measure_list.html", context)


@login_required
def measure_export_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Measure)
    filterset = _filtered(request, program)
    content = measures_workbook(filterset.qs)
    audit_record(
        AuditAction.EXPORTED, request=request, organisation=program.organisation, target=program, document="measures"
    )
    return spreadsheet_response(content, f"measures-{program.pk}.xlsx")


def _measure_get(request: HttpRequest, program: Program, pk: int) -> Measure:
    queryset = measure_list(user=request.user, program=program).select_related("task__section")
    return get_object_or_404(queryset, pk=pk)


@login_required
def measure_detail_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Measure)
    measure = _measure_get(request, program, pk)
    context = _context(
        request,
        program,
        measure=measure,
        periods=due_periods(measure.deadline, program),
        history=history_for(measure),
        can_change=can_change(user=request.user, program=program, model=Measure),
    )
    return render(request, "measures/measure_detail.html", context)


def _form_response(request, program, form, measure=None, status=200) -> HttpResponse:
    preview = form.preview() if form.is_bound else None
    context = _context(request, program, form=form, measure=measure, preview=preview)
    return render(request, "measures/measure_form.html", context, status=status)


@login_required
def measure_section_create_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    """Add a section of the measures annex; a new program's first measure needs one."""
    program = program_for(user=request.user, pk=program_pk, model=Measure, action=Action.CHANGE)
    taken = set(MeasureSection.objects.filter(program=program).values_list("number", flat=True))
    initial = {"number": next(number for number in range(1, len(taken) + 2) if number not in taken)}
    form = MeasureSectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            section = measure_section_create(program=program, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The section “%(title)s” is added; add its measures.") % {"title": section})
            return redirect("measures:create", program_pk=program.pk)
    context = {"program": program, "form": form}
    return render(request, "measures/section_form.html", context, status=400 if form.errors else 200)


@login_required
def measure_create_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Measure, action=Action.CHANGE)
    initial = {}
    if request.GET.get("risk", "").isdigit():
        initial["risks"] = Risk.objects.filter(program=program, pk=request.GET["risk"])
    form = MeasureForm(request.POST or None, program=program, initial=initial)
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            measure = measure_create(program=program, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measure was added."))
            return redirect("measures:detail", program_pk=program.pk, pk=measure.pk)
    return _form_response(request, program, form, status=400 if form.errors else 200)


@login_required
def measure_update_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Measure)
    measure = _measure_get(request, program, pk)
    program = program_for(user=request.user, pk=program_pk, model=Measure, action=Action.CHANGE)
    form = MeasureForm(request.POST or None, instance=measure, program=program)
    status = 200
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            measure_update(
                measure=measure,
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
            messages.success(request, _("The measure was saved."))
            return redirect("measures:detail", program_pk=program.pk, pk=measure.pk)
    if form.errors and status == 200:
        status = 400
    return _form_response(request, program, form, measure=measure, status=status)


@login_required
def measure_delete_view(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Measure)
    measure = _measure_get(request, program, pk)
    program = program_for(user=request.user, pk=program_pk, model=Measure, action=Action.CHANGE)
    return confirm_delete(
        request,
        "measures/measure_confirm_delete.html",
        _context(request, program, measure=measure),
        check=lambda: measure_delete_check(measure=measure),
        delete=lambda: measure_delete(measure=measure, user=request.user),
        done=_("The measure was deleted."),
        next_url=reverse("measures:list", args=[program.pk]),
    )


# --- Excel import -------------------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))


def _stored_path(program: Program, user, token: str, extension: str = "xlsx") -> str:
    # The path carries the program and the user, so a token is useless to anyone else.
    return f"imports/measures/{program.pk}/{user.pk}/{token}.{extension}"


def _store_versions(path: str, preview: ImportPreview) -> None:
    """Keep, with the upload, the versions of the measures the preview shows: the import updates only those."""
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(preview.versions).encode()))


def _stored_versions(path: str) -> dict[int, tuple[int, int]]:
    if not default_storage.exists(path):
        return {}
    with default_storage.open(path, "rb") as stored:
        return {int(line): (pk, version) for line, (pk, version) in json.load(stored).items()}


@login_required
def measure_import_template_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program_for(user=request.user, pk=program_pk, model=Measure, action=Action.CHANGE)
    return spreadsheet_response(template_workbook(), "measures-template.xlsx")


@login_required
def measure_import_view(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Measure, action=Action.CHANGE)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = check_upload(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            preview = parse_workbook(content, program=program)
            if preview.errors:
                for message in preview.errors:
                    form.add_error("file", message)
            else:
                token = secrets.token_hex(16)
                default_storage.save(_stored_path(program, request.user, token), ContentFile(content))
                return redirect("measures:import-preview", program_pk=program.pk, token=token)
    context = _context(request, program, form=form)
    return render(request, "measures/measure_import.html", context, status=400 if form.errors else 200)


@login_required
def measure_import_preview_view(request: HttpRequest, program_pk: int, token: str) -> HttpResponse:
    program = program_for(user=request.user, pk=program_pk, model=Measure, action=Action.CHANGE)
    if not TOKEN.match(token):
        raise Http404
    path = _stored_path(program, request.user, token)
    versions_path = _stored_path(program, request.user, token, "json")
    if not default_storage.exists(path):
        raise Http404
    with default_storage.open(path, "rb") as stored:
        content = stored.read()
    preview = parse_workbook(content, program=program)
    status = 200 if preview.ok else 400
    if request.method == "POST":
        if "cancel" in request.POST:
            default_storage.delete(path)
            default_storage.delete(versions_path)
            messages.info(request, _("The import was cancelled; nothing was imported."))
            return redirect("measures:list", program_pk=program.pk)
        try:
            result = measure_import(
                program=program, user=request.user, preview=preview, versions=_stored_versions(versions_path)
            )
        except ConcurrentEditError as error:
            messages.error(request, " ".join(error.messages))
            # Shown again against the latest versions, which the next attempt then expects.
            preview = parse_workbook(content, program=program)
            status = 409
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            default_storage.delete(path)
            default_storage.delete(versions_path)
            counts = {"created": len(result.created), "updated": len(result.updated), "unchanged": result.unchanged}
            messages.success(
                request,
                _("Import done: %(created)s measures added, %(updated)s updated, %(unchanged)s unchanged.") % counts,
            )
            return redirect("measures:list", program_pk=program.pk)
    _store_versions(versions_path, preview)
    context = _context(request, program, preview=preview, token=token)
    return render(request, "measures/measure_import_preview.html", context, status=status)
