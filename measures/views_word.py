"""A program brought in from Word: upload, preview with unreadable cells to correct, then import all or nothing.

The upload is kept between the preview and the import the way the Excel import keeps it (default storage, under a
path naming the program and the user, so a token is useless to anyone else), with a small JSON beside it holding the
corrections typed in the preview and the versions the preview compared the file with.
"""

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
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import Action
from core.concurrency import ConcurrentEditError
from measures.models import Measure
from measures.word_import import MAX_UPLOAD_BYTES, check_docx, program_import_word, read_docx, too_large, word_preview
from measures.word_import.preview import corrections_cleaned
from programs.models import Program
from risks.selectors import program_for

TOKEN = re.compile(r"^[0-9a-f]{32}$")
FIX_PREFIX = "fix-"


class WordUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Word document (.docx)"))


def _path(program: Program, user, token: str, extension: str) -> str:
    return f"imports/word/{program.pk}/{user.pk}/{token}.{extension}"


def _save(path: str, content: bytes) -> None:
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(content))


def _state(path: str) -> dict:
    if not default_storage.exists(path):
        return {"corrections": {}, "versions": {}}
    with default_storage.open(path, "rb") as stored:
        return json.load(stored)


def _program(request: HttpRequest, program_pk: int) -> Program:
    # Importing writes measures, risks and sections: whoever may change the program's measures may import.
    return program_for(user=request.user, pk=program_pk, model=Measure, action=Action.CHANGE)


@login_required
def word_import(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = _program(request, program_pk)
    form = WordUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # The size is known before a byte is read: an oversized upload is refused without reading it.
            error = too_large(upload.size)
            if error is not None:
                raise error
            content = upload.read()
            check_docx(content)
            preview = word_preview(read=read_docx(content), program=program)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if preview.errors:
                for message in preview.errors:
                    form.add_error("file", message)
            else:
                token = secrets.token_hex(16)
                _save(_path(program, request.user, token, "docx"), content)
                return redirect("measures:word-import-preview", program_pk=program.pk, token=token)
    context = {"program": program, "form": form, "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
    return render(request, "measures/word_import.html", context, status=400 if form.errors else 200)


def _corrections(request: HttpRequest, stored: dict[str, str]) -> dict[str, str]:
    typed = {name[len(FIX_PREFIX) :]: value for name, value in request.POST.items() if name.startswith(FIX_PREFIX)}
    return {**stored, **corrections_cleaned(typed)}


@login_required
def word_import_preview(request: HttpRequest, program_pk: int, token: str) -> HttpResponse:
    program = _program(request, program_pk)
    if not TOKEN.match(token):
        raise Http404
    path, state_path = _path(program, request.user, token, "docx"), _path(program, request.user, token, "json")
    if not default_storage.exists(path):
        raise Http404
    with default_storage.open(path, "rb") as stored:
        read = read_docx(stored.read())
    state = _state(state_path)
    if request.method == "POST" and "cancel" in request.POST:
        default_storage.delete(path)
        if default_storage.exists(state_path):
            default_storage.delete(state_path)
        messages.info(request, _("The import was cancelled; nothing was imported."))
        return redirect("programs:detail", pk=program.pk)
    if request.method == "POST" and "check" in request.POST:
        state["corrections"] = _corrections(request, state["corrections"])
    preview = word_preview(read=read, program=program, corrections=state["corrections"])
    status = 200 if preview.ok else 400
    if request.method == "POST" and "import" in request.POST:
        try:
            result = program_import_word(
                program=program, user=request.user, preview=preview, versions=state["versions"]
            )
        except ConcurrentEditError as error:
            messages.error(request, " ".join(error.messages))
            preview = word_preview(read=read, program=program, corrections=state["corrections"])
            status = 409
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            default_storage.delete(path)
            if default_storage.exists(state_path):
                default_storage.delete(state_path)
            messages.success(
                request,
                _(
                    "Imported from Word: %(sections)s sections, %(risks)s risks, %(created)s measures added and "
                    "%(updated)s updated, %(units)s new units."
                )
                % {
                    "sections": result.sections,
                    "risks": result.risks,
                    "created": result.measures_created,
                    "updated": result.measures_updated,
                    "units": result.units,
                },
            )
            return redirect("programs:detail", pk=program.pk)
    state["versions"] = preview.versions
    _save(state_path, json.dumps(state, ensure_ascii=False).encode())
    context = {"program": program, "preview": preview, "token": token}
    return render(request, "measures/word_import_preview.html", context, status=status)
