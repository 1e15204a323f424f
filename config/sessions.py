"""Sessions kept in the database and read through the cache (Redis) in front of it, when REDIS_URL is set.

Every signed-in request reads its session: from Redis that costs no database query. The database stays the record:
a session the cache no longer holds (evicted, Redis restarted) is read back from it, and while Redis cannot be
reached every request reads it there, so people still sign in and out (the sign-in lockout fails open then too,
programs/lockout.py). Without Redis the cache is each process's own memory, where a sign-out in one process would
go unseen by the others: settings.py keeps the plain database engine then.

Django's `cached_db` engine, with three changes:
- a copy in the cache lives at most SESSION_CACHE_SECONDS. A sign-out while Redis is out of reach deletes the session
  from the database but cannot delete its copy; should Redis come back with that copy, it would sign the session in
  again — for minutes at most, not for the session's whole age (two weeks);
- an unreachable cache never fails a request: Django's engine answers 500 when it cannot delete the copy (sign-out,
  the new session key of a sign-in), check whether a key exists or store a copy just read from the database;
- it is the synchronous engine only: the portal's session middleware and views are synchronous.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseStore

from core.counters import CACHE_ERRORS

logger = logging.getLogger(__name__)


class SessionStore(CachedDatabaseStore):
    def _cache_seconds(self, **expiry) -> int:
        return min(self.get_expiry_age(**expiry), settings.SESSION_CACHE_SECONDS)

    def _cache_failed(self, error: Exception) -> None:
        logger.warning("Session cache unavailable, using the database (%s).", type(error).__name__)

    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except CACHE_ERRORS as error:
            self._cache_failed(error)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self._cache_seconds(expiry=stored.expire_date))
        except CACHE_ERRORS as error:
            self._cache_failed(error)
        return data

    def exists(self, session_key: str) -> bool:
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except CACHE_ERRORS as error:
            self._cache_failed(error)
        return super(CachedDatabaseStore, self).exists(session_key)

    def save(self, must_create: bool = False) -> None:
        super(CachedDatabaseStore, self).save(must_create)
        try:
            self._cache.set(self.cache_key, self._session, self._cache_seconds())
        except CACHE_ERRORS as error:
            self._cache_failed(error)

    def delete(self, session_key: str | None = None) -> None:
        super(CachedDatabaseStore, self).delete(session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except CACHE_ERRORS as error:  # the record is gone; its copy lapses on its own
            self._cache_failed(error)
