"""The OpenAPI schema tells the truth about errors: a drf-spectacular postprocessing hook over every operation.

Generic over the schema, so endpoints added later are covered without annotations of their own:
- every error answer an operation can give is documented with the one `Error` body (`programs.api.errors`):
  403 always (not signed in, or the role may not), 400 where the client sends parameters or a body, 404 where a
  path names an object or a list is paged, 409 where a write names the `version` it read, 415 where a body is sent;
- every POST documents the `Idempotency-Key` header and its answers (409 still in progress, 422 reused for another
  request, 413 a body too large to keep);
- a PATCH whose body has a `version` requires it, as the views do.
"""

from __future__ import annotations

from typing import Any

from idempotency.models import HEADER, KEY_MAX_LENGTH

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
    "name": HEADER,
    "required": False,
    "description": "Any unique string (a UUID): a retry with the same key and the same body returns the first "
    "answer (same status and body) instead of doing the work again, for 24 hours.",
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH, "pattern": "^[\\x21-\\x7e]+$"},
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


def _document(operation: dict[str, Any], status: str, description: str) -> None:
    responses = operation.setdefault("responses", {})
    answer = responses.setdefault(status, {"description": description})
    answer["content"] = {"application/json": {"schema": ERROR}}


def document_errors(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS entry: see the module's docstring."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
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
            if method == "post":
                operation["parameters"] = [*parameters, IDEMPOTENCY_PARAMETER]
                _document(operation, "409", POST_CONFLICT)
                _document(operation, "413", DESCRIPTIONS["413"])
                _document(operation, "422", DESCRIPTIONS["422"])
    return result
