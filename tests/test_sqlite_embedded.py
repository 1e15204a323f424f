"""The embedded default (SQLite) takes concurrent writes: the second writer waits for the first, never fails.

Before, two public submissions at once could end in "database is locked": a transaction that had read first could
not upgrade to a write while another held the write lock, whatever the timeout. Two real connections to one SQLite
file, configured exactly as `config.settings` configures the default.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections, transaction

from config.settings import database_from_url

HOLD_SECONDS = 0.3


@pytest.fixture
def embedded(tmp_path, django_db_blocker):
    """Two aliases on one SQLite file, with the settings of the embedded default (outside the test database, which
    pytest-django would otherwise guard)."""
    django_db_blocker.unblock()
    aliases = ("embedded_a", "embedded_b")
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    configured = connections.configure_settings({"default": database_from_url(url)})["default"]
    for alias in aliases:
        connections.settings[alias] = dict(configured)
    with connections[aliases[0]].cursor() as cursor:
        cursor.execute("CREATE TABLE submission (number integer)")
    yield aliases
    for alias in aliases:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
    django_db_blocker.restore()


def test_the_embedded_database_runs_in_wal_mode(embedded):
    with connections[embedded[0]].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_a_submission_that_reads_then_writes_waits_for_another_and_is_saved(embedded):
    first, second = embedded
    holding, errors = threading.Event(), []

    def hold_a_write() -> None:
        try:
            with transaction.atomic(using=first), connections[first].cursor() as cursor:
                cursor.execute("INSERT INTO submission VALUES (1)")
                holding.set()
                time.sleep(HOLD_SECONDS)
        except Exception as error:  # the assertion below names it
            errors.append(error)
        finally:
            connections[first].close()

    writer = threading.Thread(target=hold_a_write)
    writer.start()
    assert holding.wait(5)
    # As a submission does: read (the next number), then write, in one transaction.
    with transaction.atomic(using=second), connections[second].cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM submission")
        cursor.execute("INSERT INTO submission VALUES (%s)", [cursor.fetchone()[0]])
    writer.join(5)

    assert errors == []
    with connections[second].cursor() as cursor:
        cursor.execute("SELECT number FROM submission ORDER BY number")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]  # the second saw the first's row: it waited
