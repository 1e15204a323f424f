"""How a refusal reaches an API client: one body for every error, the same refusals as the pages.

Every error the API answers (400, 403, 404, 405, 406, 409, 413, 415, 422, 429 …) has the body
`{"code": …, "message": …, "fields": {field: [{"message": …, "code": …}]}}`, made by `api_exception_handler`
(`REST_FRAMEWORK["EXCEPTION_HANDLER"]`) in the language of the request (LocaleMiddleware: the language cookie or
Accept-Language). A service's `ValidationError` is a 400 with the fields it names, a concurrent edit a 409, a
`PermissionDenied` a 403.

Field error codes tell a client (and the contract tests) why a value was refused: DRF's own codes (`required`,
`invalid`, `max_value` …) mean the value broke the documented shape; `does_not_exist` names an object the user
cannot see; `rule` is a rule of the portal that a schema cannot express (a period already approved, a year range
that ends before it starts …).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.exceptions import APIException, ErrorDetail
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.concurrency import ConcurrentEditError

T = TypeVar("T")

# The code of a field error that is a rule of the portal, not a shape the schema could state.
RULE = "rule"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("Someone else saved this record in the meantime.")


class AlreadyExists(APIException):
    """A create of something that exists: the client should change the existing object (`existing` names it)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "exists"
    default_detail = _("This record already exists.")

    def __init__(self, detail=None, *, existing: dict[str, Any]):
        super().__init__(detail)
        self.existing = existing


def _rule_details(messages: list[str], code: str | None) -> list[ErrorDetail]:
    return [ErrorDetail(message, code=code or RULE) for message in messages]


def refusal_detail(error: DjangoValidationError) -> dict:
    """A service's `ValidationError` as DRF's error detail; messages without a code of their own are `rule`."""
    # A form shows a message without a field above the form; DRF calls that place `non_field_errors`.
    if not hasattr(error, "error_dict"):
        return {
            api_settings.NON_FIELD_ERRORS_KEY: [
                detail for item in error.error_list for detail in _rule_details(item.messages, item.code)
            ]
        }
    return {
        api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: [
            detail for item in errors for detail in _rule_details(item.messages, item.code)
        ]
        for field, errors in error.error_dict.items()
    }


def call_service(call: Callable[[], T]) -> T:
    """Run a service call, turning its refusals into API errors."""
    try:
        return call()
    except ConcurrentEditError as error:
        raise Conflict(" ".join(error.messages)) from error
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error) or None) from error
    except DjangoValidationError as error:
        raise ApiValidationError(refusal_detail(error)) from error


# --- the one error body ----------------------------------------------------------------------------------------


def _field_errors(detail: Any, prefix: str = "") -> dict[str, list[dict[str, str]]]:
    """DRF's nested error detail as flat `field → [{message, code}]`; nested places as `evidence.0.url`."""
    found: dict[str, list[dict[str, str]]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            found.update(_field_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            found[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [
                {"message": str(item), "code": getattr(item, "code", None) or "invalid"} for item in detail
            ]
        else:
            for index, item in enumerate(detail):
                found.update(_field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        found[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [
            {"message": str(detail), "code": getattr(detail, "code", None) or "invalid"}
        ]
    return found


def error_body(*, code: str, message: str, fields: dict | None = None, **extra: Any) -> dict[str, Any]:
    """The body of every API error."""
    return {"code": code, "message": str(message), "fields": fields or {}, **extra}


def error_response(*, status_code: int, code: str, message: str, **extra: Any) -> JsonResponse:
    """An error answered outside a DRF view (the idempotency middleware), in the same shape."""
    return JsonResponse(error_body(code=code, message=message, **extra), status=status_code)


def _as_api_exception(exc: Exception) -> Exception:
    # What DRF's own handler does with Django's exceptions, kept here so the body below knows the result.
    if isinstance(exc, Http404):
        # Django's message names the model in English ("No Program matches …"): the translated "Not found." instead.
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*(exc.args[:1] if exc.args and isinstance(exc.args[0], str) else ()))
    return exc


def _body_of(exc: APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        general = fields.get(api_settings.NON_FIELD_ERRORS_KEY, [])
        message = (
            " ".join(item["message"] for item in general)
            if general
            else gettext("The request was not accepted; the fields below say why: %(fields)s.")
            % {"fields": ", ".join(fields)}
        )
        return error_body(code="invalid", message=message, fields=fields)
    detail = exc.detail
    if isinstance(detail, dict | list):
        # An APIException raised with a structure (rare): its parts become the field errors.
        fields = _field_errors(detail)
        return error_body(code=exc.default_code, message=str(exc.default_detail), fields=fields)
    extra = {"existing": exc.existing} if isinstance(exc, AlreadyExists) else {}
    return error_body(code=getattr(detail, "code", None) or exc.default_code, message=str(detail), **extra)


def api_exception_handler(exc: Exception, context: dict):
    """`REST_FRAMEWORK["EXCEPTION_HANDLER"]`: DRF's statuses and headers (Allow, Retry-After), our one body."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API refusal: a server error, which Django reports
    response.data = _body_of(exc)
    return response


def not_found(request, exception):
    """`handler404`: an address under /api/ that matches no route (an id with a slash …) answers the API's error
    body, not the HTML page, as the schema documents."""
    if request.path.startswith("/api/"):
        return error_response(status_code=404, code="not_found", message=str(exceptions.NotFound.default_detail))
    return page_not_found(request, exception)
