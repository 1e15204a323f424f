"""Short-lived counters in the cache, shared by the sign-in lockout and the whistleblower rate limits.

`cache.add` and `cache.incr` are each atomic in Redis, so concurrent requests never lose a count; a read followed
by a write (get, then set) would let a burst of parallel guesses through.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import RedisError

# What the Redis cache raises when Redis cannot be reached (the in-process cache never fails).
CACHE_ERRORS = (RedisError, OSError)


def counter_hit(key: str, window_seconds: int, *, store=None) -> int:
    """Count one event under `key`; the count lives `window_seconds` from the first event. Returns the new count.
    `store` is the shared cache unless a caller falls back to one of its own."""
    store = store if store is not None else cache
    if store.add(key, 1, window_seconds):
        return 1
    try:
        count = store.incr(key)
    except ValueError:  # the counter expired between add and incr: this event starts a new window
        return 1 if store.add(key, 1, window_seconds) else store.incr(key)
    if count == 1:
        # Redis' INCR recreates a key that expired after Django's existence check, with no expiry: give it one, or
        # the counter (and a lock it holds) would last for ever.
        store.touch(key, window_seconds)
    return count


def counter_value(key: str, *, store=None) -> int:
    return int((store if store is not None else cache).get(key, 0))


def counter_give_back(key: str, *, store=None) -> None:
    """Uncount one event; the window may have ended meanwhile, leaving nothing to give back."""
    store = store if store is not None else cache
    with contextlib.suppress(ValueError):
        # A key that expired between Redis' existence check and DECR comes back at -1 with no expiry: drop it.
        if store.decr(key) <= 0:
            store.delete(key)


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind a reverse proxy every client shares the proxy's address; the deployment names
    the header it sets. A list header (X-Forwarded-For) arrives with whatever the client wrote in front; each trusted
    proxy appends the address it saw, so the client is the entry that many places from the end, never the first."""
    header = getattr(settings, "WHISTLEBLOWER_CLIENT_IP_HEADER", "")
    entries = [entry.strip() for entry in request.META.get(header, "").split(",")] if header else []
    entries = [entry for entry in entries if entry]
    if not entries:
        return request.META.get("REMOTE_ADDR", "")
    trusted = max(int(getattr(settings, "WHISTLEBLOWER_TRUSTED_PROXIES", 1)), 1)
    return entries[max(len(entries) - trusted, 0)]
