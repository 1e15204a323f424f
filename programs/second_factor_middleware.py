"""Keeps a signed-in person who has not yet confirmed the second factor on the code pages.

After the password, an officer, an administrator or a staff member — and anyone who turned the second factor on —
reaches only the code (or enrolment) pages, sign-out and the language switch: every other page redirects there, and
the session-authenticated API answers 403 with the API's error body. A call with a token and no session cookie has
no session user here, so it is not asked for a code (docs/api.md); one that brings both is refused like the session.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from programs.lockout import SECOND_FACTOR_LOADED
from programs.permissions import must_use_second_factor
from programs.second_factor import has_second_factor

# The pages a person between the password and the code may open (URL names in the root namespace).
OPEN_URL_NAMES = frozenset({"second-factor-verify", "second-factor-enrol", "logout", "set_language", "login"})


def _is_api_view(view_func) -> bool:
    view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES and not match.namespace:
            return None
        required = must_use_second_factor(user)
        # Read with the session's user (LockoutModelBackend.get_user); asked afresh for a user from elsewhere.
        enrolled = getattr(user, SECOND_FACTOR_LOADED, None)
        if enrolled is None:
            enrolled = has_second_factor(user)
        if not (enrolled or required):
            return None
        if _is_api_view(view_func):
            from core.api.errors import error_response

            return error_response(
                status_code=403,
                code="second_factor_required",
                message=_(
                    "Confirm this sign-in with your second factor on the portal's sign-in page first, or call the "
                    "API with a token."
                ),
            )
        target = reverse("second-factor-verify" if enrolled else "second-factor-enrol")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
