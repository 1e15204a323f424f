"""How a service's refusal reaches an API client: the same refusals as the pages, as HTTP statuses.

A `ValidationError` is a 400 with the fields it names, a concurrent edit a 409, a `PermissionDenied` a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.settings import api_settings

from programs.concurrency import ConcurrentEditError

T = TypeVar("T")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("Someone else saved this record in the meantime.")


def _detail(error: DjangoValidationError) -> dict:
    # A form shows a message without a field above the form; DRF calls that place `non_field_errors`.
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
        for field, messages in error.message_dict.items()
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
        raise ApiValidationError(_detail(error)) from error
