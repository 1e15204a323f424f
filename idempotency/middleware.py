"""`Idempotency-Key` on any POST under /api/: a retry returns the first answer (same status and body).

A middleware rather than a viewset mixin so every API POST has it, including endpoints added later. The key is
the user's own (two clients may pick the same key); the same key with another method, path or body is refused
(422), a retry while the first request runs gets 409, and only successful answers are kept: a refused request
releases its key so the corrected request may use it.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.api.errors import error_response
from core.api.headers import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH
from idempotency.services import idempotency_complete, idempotency_release, idempotency_reserve

KEY_PATTERN = re.compile(rf"^[\x21-\x7e]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}$")
REPLAYED_HEADER = "Idempotent-Replayed"


def _api_user(request: HttpRequest):
    """The user the API view will see, by the API's own authenticators (a token is not a session)."""
    drf_request = Request(request)
    for authenticator_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(authenticator_class, SessionAuthentication):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                return user
            continue
        try:
            result = authenticator_class().authenticate(drf_request)
        except APIException:
            return None
        if result is not None:
            return result[0]
    return None


def _fingerprint(request: HttpRequest) -> str:
    """The request as a hash: method, path, query and body. A multipart boundary is random per attempt, so it is
    left out: a retried upload of the same file is the same request."""
    body = request.body
    content_type = request.META.get("CONTENT_TYPE", "")
    boundary = re.search(r"boundary=\"?([^\";]+)", content_type)
    if boundary:
        body = body.replace(boundary.group(1).encode("latin-1"), b"")
        content_type = content_type[: boundary.start()]
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", ""), content_type):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(body)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not KEY_PATTERN.match(key):
            message = _("Idempotency-Key must be 1 to %(length)s visible ASCII characters (a UUID will do).") % {
                "length": IDEMPOTENCY_KEY_MAX_LENGTH
            }
            return error_response(
                status_code=400,
                code="invalid",
                message=message,
                fields={IDEMPOTENCY_HEADER: [{"message": message, "code": "invalid"}]},
            )
        user = _api_user(request)
        if user is None:
            return self.get_response(request)  # the view refuses it (403); nothing to keep
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = request.META.get("CONTENT_LENGTH") or "0"
        if limit is not None and (not length.isdigit() or int(length) > limit):
            return error_response(
                status_code=413,
                code="too_large_for_idempotency",
                message=_(
                    "With an Idempotency-Key a request may carry at most %(size)s bytes. Send a smaller file, or "
                    "send the request without the header."
                )
                % {"size": limit},
            )
        reservation = idempotency_reserve(
            user=user, key=key, method=request.method, path=request.path, fingerprint=_fingerprint(request)
        )
        record = reservation.record
        if not reservation.created:
            return self._answer_retry(request, record)
        completed = False
        try:
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and not response.streaming:
                idempotency_complete(
                    record=record,
                    status_code=response.status_code,
                    content_type=response.get("Content-Type", ""),
                    content=response.content,
                )
                completed = True
            return response
        finally:
            if not completed:
                idempotency_release(record=record)

    @staticmethod
    def _answer_retry(request: HttpRequest, record) -> HttpResponse:
        if (record.method, record.path, record.fingerprint) != (
            request.method,
            request.path,
            _fingerprint(request),
        ):
            return error_response(
                status_code=422,
                code="idempotency_key_reused",
                message=_(
                    "This Idempotency-Key was already used for another request (another address or body). "
                    "Use a new key for a new request."
                ),
            )
        if record.status_code is None:
            return error_response(
                status_code=409,
                code="idempotency_in_progress",
                message=_(
                    "A request with this Idempotency-Key is still being processed. Retry in a moment to get its answer."
                ),
            )
        response = HttpResponse(bytes(record.content), status=record.status_code, content_type=record.content_type)
        response[REPLAYED_HEADER] = "true"
        return response
