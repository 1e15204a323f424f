"""`POST /api/v1/programs/{id}/word-import/`: the Word import of the program page, for another system.

One request reads the file and answers the preview (what would be new, changed, unchanged or unreadable, and the
versions it compared with); the same request with `import=true` imports it, all or nothing, when nothing is
unreadable. Corrections of unreadable cells go in `corrections` (the keys the preview names), as in the page's
preview. A client that reviewed a preview before importing sends its `versions` back, and the import is refused
(409) if anything it compared with was saved since — the page's rule.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import Action
from core.api.errors import call_service, error_body
from core.api.viewsets import REFUSALS
from measures.models import Measure
from measures.word_import import check_docx, program_import_word, read_docx, too_large, word_preview
from measures.word_import.preview import CORRECTION_KEY, WordPreview, corrections_cleaned
from risks.selectors import program_for


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(serializers.Field):
    """A JSON object sent as one multipart field (a file upload cannot carry nested JSON)."""

    default_error_messages = {"invalid": gettext_lazy("Send a JSON object: names and values in braces.")}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class WordImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("The program as a Word document (.docx)."))
    corrections = JSONObjectField(
        required=False,
        default=dict,
        help_text=gettext_lazy("Corrections of unreadable cells: the preview's key → the corrected text."),
    )
    versions = JSONObjectField(
        required=False,
        default=None,
        help_text=gettext_lazy("The versions a preview answered; the import is refused if anything changed since."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `import` is a Python keyword, so this field cannot be declared as a class attribute.
        self.fields["import"] = serializers.BooleanField(
            required=False, default=False, help_text=gettext_lazy("Import now (true) or only preview (false).")
        )

    def validate_file(self, upload):
        error = too_large(upload.size)  # known before a byte is read
        if error is not None:
            raise _rule(error.messages)
        content = upload.read()
        try:
            check_docx(content)
        except ValidationError as refused:
            raise _rule(refused.messages) from refused
        return content

    def validate_corrections(self, corrections: dict) -> dict[str, str]:
        wrong = [
            key for key, text in corrections.items() if not CORRECTION_KEY.fullmatch(key) or not isinstance(text, str)
        ]
        if wrong:
            raise _rule(
                [
                    _("These corrections do not name a cell of the preview with a text: %(keys)s.")
                    % {"keys": ", ".join(map(str, wrong[:10]))}
                ]
            )
        return corrections_cleaned(corrections)

    def validate_versions(self, versions):
        if versions is None:
            return None
        shape_ok = all(
            isinstance(group, dict)
            and all(
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) for n in pair)
                for pair in group.values()
            )
            for group in versions.values()
        )
        if not shape_ok or not set(versions) <= {"sections", "risks", "measures"}:
            raise _rule([_("Send the versions exactly as the preview answered them.")])
        return versions


def _rule(messages) -> ApiValidationError:
    """A refusal by a rule of the portal (what a file must be, what a correction may name), not by the request's
    shape: the schema cannot say it, so its code is `rule` as for the services' refusals."""
    return ApiValidationError([ErrorDetail(str(message), code="rule") for message in messages])


def preview_body(preview: WordPreview) -> dict:
    unreadable = []
    for item in [*preview.measures, *preview.risks]:
        if item.status != "unreadable":
            continue
        errors = item.row.errors if hasattr(item, "row") else item.errors
        unreadable.append(
            {
                "where": item.where,
                "cells": [
                    {"key": flag.key, "column": flag.column, "text": flag.text, "reason": flag.reason}
                    for flag in item.flags
                ],
                "errors": [str(error) for error in errors],
            }
        )
    return {
        "ok": preview.ok,
        "errors": [str(error) for error in preview.errors],
        "sections": preview.section_counts,
        "measures": preview.measure_counts,
        "risks": preview.risk_counts,
        "new_units": preview.units,
        "unreadable": unreadable,
        "versions": preview.versions,
    }


class ProgramWordImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": WordImportSerializer},
        responses={200: OpenApiResponse(description="The preview, and `imported` counts after an import."), **REFUSALS},
    )
    def post(self, request, pk: int):
        """Preview a Word document against the program, or import it (`import=true`)."""
        program = program_for(user=request.user, pk=pk, model=Measure, action=Action.CHANGE)
        payload = WordImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        preview = word_preview(read=read_docx(data["file"]), program=program, corrections=data["corrections"])
        if preview.errors:
            raise ApiValidationError({"file": [ErrorDetail(str(error), code="rule") for error in preview.errors]})
        body = preview_body(preview)
        if not data["import"]:
            return Response({**body, "imported": None})
        if not preview.ok:
            message = _("Correct the unreadable rows first; nothing was imported.")
            return Response(error_body(code="unreadable", message=message, preview=body), status=400)
        versions = data["versions"] if data["versions"] is not None else preview.versions
        result = call_service(
            lambda: program_import_word(program=program, user=request.user, preview=preview, versions=versions)
        )
        imported = {
            "sections": result.sections,
            "risks": result.risks,
            "measures_created": result.measures_created,
            "measures_updated": result.measures_updated,
            "units": result.units,
        }
        return Response({**body, "imported": imported}, status=status.HTTP_200_OK)
