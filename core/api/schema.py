"""The OpenAPI schema tells the truth about errors: a drf-spectacular postprocessing hook over every operation.

Generic over the schema, so endpoints added later are covered without annotations of their own:
- every error answer an operation can give is documented with the one `Error` body (`core.api.errors`):
  403 always (not signed in, or the role may not), 400 where the client sends parameters or a body, 404 where a
  path names an object or a list is paged, 409 where a write names the `version` it read, 415 where a body is sent;
- every POST documents the `Idempotency-Key` header and its answers (409 still in progress, 422 reused for another
  request, 413 a body too large to keep);
- a PATCH whose body has a `version` requires it, as the views do;
- a request body is documented in the one media type the view can honour (JSON; multipart where a file is sent).
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db import DatabaseError
from django_filters import ChoiceFilter, NumberFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from core.api.filtering import is_integer
from core.api.headers import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH

ERROR = {"$ref": "#/components/schemas/Error"}

COMPONENTS = {
    "FieldError": {
        "type": "object",
        "properties": {
            "message": {"type": "string", "description": "What is wrong, in the language of the request."},
            "code": {
                "type": "string",
                "description": "Why: `required`, `invalid`, `max_value` … (the value breaks the documented shape), "
                "`does_not_exist` (no such object in your scope), `rule` (a rule of the portal).",
            },
        },
        "required": ["message", "code"],
    },
    "Error": {
        "type": "object",
        "description": "The body of every error answer of the API, in the language of the request "
        "(Accept-Language or the language chosen in the portal).",
        "properties": {
            "code": {
                "type": "string",
                "description": "A stable code: invalid, not_found, permission_denied, not_authenticated, conflict, "
                "exists, idempotency_in_progress, idempotency_key_reused, unsupported_media_type …",
            },
            "message": {"type": "string", "description": "What happened and what to do."},
            "fields": {
                "type": "object",
                "description": "Errors by field (`non_field_errors` for the request as a whole); empty when no field "
                "is at fault.",
                "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
            },
            "existing": {
                "type": "object",
                "description": "With `exists`: the record that already exists; change it with a PATCH to `url`.",
                "properties": {"id": {"type": "integer"}, "url": {"type": "string"}},
                "required": ["id", "url"],
            },
        },
        "required": ["code", "message", "fields"],
    },
}

DESCRIPTIONS = {
    "400": "Invalid input: `fields` names what to correct.",
    "403": "Not signed in, or your role may not do this.",
    "404": "Not found in your scope (or no such page of results).",
    "409": "Someone else saved the record since the version you read.",
    "413": "The body is too large to be kept for an Idempotency-Key; send it without the header.",
    "415": "The body is not in a documented media type.",
    "422": "This Idempotency-Key was already used for another request; use a new key.",
}
POST_CONFLICT = (
    "The record already exists (`existing` names it), someone saved it meanwhile, or a request with this "
    "Idempotency-Key is still being processed."
)

IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "description": "Any unique string (a UUID): a retry with the same key and the same body returns the first "
    "answer (same status and body) instead of doing the work again, for 24 hours.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH,
        "pattern": "^[\\x21-\\x7e]+$",
    },
}

METHODS = ("get", "put", "post", "patch", "delete")


def _component(schema: dict[str, Any], ref_or_schema: dict[str, Any]) -> dict[str, Any] | None:
    ref = ref_or_schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return schema["components"]["schemas"].get(ref.rsplit("/", 1)[1])
    return ref_or_schema


def _body_properties(schema: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    bodies = []
    for media in operation.get("requestBody", {}).get("content", {}).values():
        component = _component(schema, media.get("schema", {}))
        if component is not None:
            bodies.append(component)
    return bodies


def _has_binary(schema: dict[str, Any], body: dict[str, Any]) -> bool:
    return any(field.get("format") == "binary" for field in body.get("properties", {}).values())


def _one_media_type(result: dict[str, Any], operation: dict[str, Any]) -> None:
    """A body is documented in one media type: JSON, or multipart where it carries a file. Form encodings cannot
    say `null` (DRF reads "None"), and a file cannot travel in JSON, so the other variants promised what the views
    cannot keep. (DRF still parses them; the schema promises only what works.)"""
    content = operation.get("requestBody", {}).get("content")
    if not content:
        return
    media = content.get("application/json") or next(iter(content.values()))
    body = _component(result, media.get("schema", {})) or {}
    if _has_binary(result, body) and "multipart/form-data" in content:
        inline = copy.deepcopy(body)
        for field in inline.get("properties", {}).values():
            field.pop("nullable", None)  # a multipart part is text or a file, never null: leave it out instead
        operation["requestBody"]["content"] = {"multipart/form-data": {"schema": inline}}
    elif "application/json" in content:
        operation["requestBody"]["content"] = {"application/json": content["application/json"]}


def _drop_uri_format(node: Any) -> None:
    # URL validators add `format: uri` after the field is mapped; the pattern is what the API enforces.
    if isinstance(node, dict):
        if node.get("pattern") == WEB_ADDRESS_PATTERN:
            node.pop("format", None)
        for value in node.values():
            _drop_uri_format(value)
    elif isinstance(node, list):
        for value in node:
            _drop_uri_format(value)


def _document(operation: dict[str, Any], status: str, description: str) -> None:
    responses = operation.setdefault("responses", {})
    answer = responses.setdefault(status, {"description": description})
    answer["content"] = {"application/json": {"schema": ERROR}}


def document_errors(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS entry: see the module's docstring."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    _drop_uri_format(result["components"]["schemas"])
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            _one_media_type(result, operation)
            parameters = operation.get("parameters", [])
            bodies = _body_properties(result, operation)
            # Answers an operation already declares (described in its view) get the error body too.
            for status, answer in operation.get("responses", {}).items():
                if status.startswith("4"):
                    answer["content"] = {"application/json": {"schema": ERROR}}
            _document(operation, "403", DESCRIPTIONS["403"])
            if bodies or any(parameter["in"] == "query" for parameter in parameters):
                _document(operation, "400", DESCRIPTIONS["400"])
            if "{" in path or any(parameter["name"] == "page" for parameter in parameters):
                _document(operation, "404", DESCRIPTIONS["404"])
            if "requestBody" in operation:
                _document(operation, "415", DESCRIPTIONS["415"])
            if method in ("put", "patch") and any("version" in body.get("properties", {}) for body in bodies):
                _document(operation, "409", DESCRIPTIONS["409"])
            if method == "patch":
                for body in bodies:
                    if "version" in body.get("properties", {}):
                        body["required"] = sorted({*body.get("required", []), "version"})
                        operation["requestBody"]["required"] = True
            if method == "post":
                operation["parameters"] = [*parameters, IDEMPOTENCY_PARAMETER]
                _document(operation, "409", POST_CONFLICT)
                _document(operation, "413", DESCRIPTIONS["413"])
                _document(operation, "422", DESCRIPTIONS["422"])
    return result


# --- what the generator cannot see on its own ------------------------------------------------------------------

# An http(s) address Django's URL check accepts (labels without a leading or trailing hyphen, a letter TLD), in
# the characters an address may hold. `URLField`s of the API refuse anything else, so the documented pattern and
# the check agree (the OpenAPI `uri` format allowed `wb-receipt:`, which Django refused).
WEB_ADDRESS_PATTERN = r"^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(:[0-9]{1,5})?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?$"


TEXT = r"^[^\x00]*$"
NON_BLANK_TEXT = r"^[^\x00]*[^\s\x00][^\x00]*$"


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's generator, stating two limits DRF enforces silently: a non-blank text is at least one
    character long, and an address matches `WEB_ADDRESS_PATTERN`."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request":
            return schema  # what is stored may predate a rule (an address saved by a page): answers stay as they are
        if isinstance(field, serializers.URLField):
            # A blank-allowing field is `oneOf: [address, {maxLength: 0}]`: the address variant gets the pattern.
            for variant in schema.get("oneOf", [schema]):
                if variant.get("format") == "uri":
                    variant.pop("format")
                    variant["pattern"] = WEB_ADDRESS_PATTERN
        elif (
            isinstance(field, serializers.CharField)
            and not field.read_only
            and schema.get("type") == "string"
            and "enum" not in schema
            and "pattern" not in schema
            and "format" not in schema
        ):
            # DRF refuses NUL characters, and strips the text before checking that it is not blank.
            schema["pattern"] = TEXT if field.allow_blank else NON_BLANK_TEXT
            if not field.allow_blank:
                schema.setdefault("minLength", 1)
        return schema


def _choice_values(choices) -> list:
    """Values of choices given as a callable (read from the database: risk levels are data)."""
    if not callable(choices):
        return []
    try:
        return [value for value, _label in choices() if value not in ("", None)]
    except DatabaseError:  # a schema generated without a database (manage.py spectacular in a build)
        return []


class PortalFilterExtension(DjangoFilterExtension):
    """django-filter parameters with what the filter's form field enforces: bounds and choices given as a callable."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        extra = filter_field.extra
        values = _choice_values(extra.get("choices"))
        integer = isinstance(filter_field, NumberFilter) and (
            issubclass(filter_field.field_class, forms.IntegerField)
            or is_integer(model, filter_field.field_name, filter_field.lookup_expr)
        )
        for parameter in parameters:
            schema = parameter["schema"]
            if integer:
                schema["type"] = "integer"  # as `StrictFilterBackend` parses it
            if extra.get("min_value") is not None:
                schema["minimum"] = extra["min_value"]
            if extra.get("max_value") is not None:
                schema["maximum"] = extra["max_value"]
            if values and "enum" not in schema:
                schema["enum"] = values
            if "enum" in schema and isinstance(filter_field, ChoiceFilter):
                # An empty choice is "any", as django-filter (and a form) treats it.
                schema["enum"] = [*schema["enum"], *([""] if "" not in schema["enum"] else [])]
                schema.pop("minLength", None)
                schema.pop("pattern", None)
        return parameters
