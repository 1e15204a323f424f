"""Protection of the public whistleblower pages: strict headers and rate limits that remember no address.

A client is known to the rate limiter only as an HMAC of its address under the server's pepper, kept in the cache
with a life of minutes. Nothing here logs an address, and no address or user agent reaches the database.

When the shared cache (Redis) cannot be reached the counters fall back to one kept in each web process: a limit
that failed closed would turn a Redis outage into "too many requests" for every whistleblower, one that failed open
would leave receipt guessing unlimited; per process, the limits still hold (multiplied by the number of processes).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse

from core.counters import client_address, counter_give_back, counter_hit, counter_value

PUBLIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# The counters of this process, used only while the shared cache is unreachable.
LOCAL_COUNTERS = LocMemCache("whistleblower-rate-fallback", {"MAX_ENTRIES": 10000})
CACHE_RETRY_SECONDS = 10
logger = logging.getLogger(__name__)
T = TypeVar("T")


def strict_headers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No script, no referrer, no caching, no framing: a whistleblower's visit leaves as little behind as possible."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = PUBLIC_CSP
        # No referrer ever leaves the site. Not "no-referrer": with it Chromium sends `Origin: null` on form posts and
        # Django's CSRF check (rightly) refuses them; "same-origin" sends nothing to any other origin either.
        response["Referrer-Policy"] = "same-origin"
        response["Cache-Control"] = "no-store, max-age=0"
        response["Pragma"] = "no-cache"
        response["X-Frame-Options"] = "DENY"
        response["X-Content-Type-Options"] = "nosniff"
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        return response

    return wrapped


def client_key(request: HttpRequest, scope: str) -> str:
    pepper = str(getattr(settings, "WHISTLEBLOWER_RECEIPT_PEPPER", "") or settings.SECRET_KEY).encode()
    digest = hmac.new(pepper, f"{scope}:{client_address(request)}".encode(), hashlib.sha256).hexdigest()
    return f"wb-rate:{scope}:{digest[:32]}"


class RateLimit:
    """At most `limit` events per client in `window` seconds, counted in the cache only."""

    def __init__(self, scope: str, *, limit_setting: str, default_limit: int, window_seconds: int) -> None:
        self.scope = scope
        self.limit_setting = limit_setting
        self.default_limit = default_limit
        self.window_seconds = window_seconds

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.limit_setting, self.default_limit))

    def count(self, request: HttpRequest) -> int:
        key = client_key(request, self.scope)
        return shared_cache(lambda: counter_value(key), fallback=lambda: counter_value(key, store=LOCAL_COUNTERS))

    def exceeded(self, request: HttpRequest) -> bool:
        return self.count(request) >= self.limit

    def hit(self, request: HttpRequest) -> int:
        key, window = client_key(request, self.scope), self.window_seconds
        return shared_cache(
            lambda: counter_hit(key, window), fallback=lambda: counter_hit(key, window, store=LOCAL_COUNTERS)
        )

    def take(self, request: HttpRequest) -> bool:
        """Count an attempt before making it; False once the limit is reached. Checking and counting are one atomic
        increment, so a burst of parallel guesses cannot all pass a check made before any of them was counted."""
        return self.hit(request) <= self.limit

    def give_back(self, request: HttpRequest) -> None:
        """Uncount an attempt taken with `take` that turned out not to be a failure."""
        key = client_key(request, self.scope)
        shared_cache(lambda: counter_give_back(key), fallback=lambda: counter_give_back(key, store=LOCAL_COUNTERS))


class CacheHealth:
    # After a failure the shared cache is left alone for a few seconds: a hung Redis then costs one timeout per
    # process, not one per call (a submission makes four), which would keep a whistleblower waiting far longer.
    down_until = 0.0


def shared_cache(operation: Callable[[], T], *, fallback: Callable[[], T]) -> T:
    """`operation` on the shared cache, or `fallback` when the cache fails or failed moments ago (Redis down, hung
    or refusing writes: any error, since each backend raises its own)."""
    if time.monotonic() >= CacheHealth.down_until:
        try:
            return operation()
        except Exception as error:
            CacheHealth.down_until = time.monotonic() + CACHE_RETRY_SECONDS
            logger.warning("The cache failed (%s); the public pages carry on without it.", type(error).__name__)
    return fallback()


SUBMISSIONS = RateLimit(
    "submit", limit_setting="WHISTLEBLOWER_SUBMISSIONS_PER_HOUR", default_limit=5, window_seconds=3600
)
# Every post of the form, valid or not: attachments are judged only below this limit.
FORM_POSTS = RateLimit(
    "form-post", limit_setting="WHISTLEBLOWER_FORM_POSTS_PER_HOUR", default_limit=30, window_seconds=3600
)
RECEIPT_FAILURES = RateLimit(
    "receipt", limit_setting="WHISTLEBLOWER_RECEIPT_FAILURES_PER_15_MIN", default_limit=10, window_seconds=900
)
REPLIES = RateLimit("reply", limit_setting="WHISTLEBLOWER_REPLIES_PER_HOUR", default_limit=20, window_seconds=3600)
