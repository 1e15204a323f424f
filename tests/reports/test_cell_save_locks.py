"""Cell saves in one period run side by side; only an approval (or a save of the same entry) makes them wait.

Two real PostgreSQL connections: the test's own keeps a cell save's transaction open while a second thread saves
another cell, saves the same cell, or approves the period. Before, every save locked the period's row exclusively,
so a secretary and five units saving at once queued one behind the other.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from core.concurrency import ConcurrentEditError
from reports.choices import ExecutionStatus, PeriodState
from reports.execution.models import ExecutionEntry, ReportingPeriod
from reports.execution.period_services import period_approve, period_send_for_review
from reports.execution.services import entry_edit
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision

pytestmark = pytest.mark.django_db(transaction=True)
LOCK_WAIT_SECONDS = 10


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def _in_thread(action: Callable[[], object]) -> tuple[threading.Thread, dict]:
    """Run `action` on a second database connection; its result or error lands in the returned dict."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = action()
        except Exception as error:  # the test asserts on whatever happened
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _waits_for_a_lock(thread: threading.Thread) -> bool:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while thread.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


def _save(user, entry: ExecutionEntry, **changes) -> ExecutionEntry:
    return entry_edit(
        user=user, measure=entry.measure, period=entry.period, changes=changes, expected_version=entry.version
    )


def test_saves_of_two_entries_of_one_period_do_not_wait_for_each_other(secretary, program_content):
    first, second = program_content.entries["unit_quarter"], program_content.entries["other_half"]

    with transaction.atomic():
        _save(secretary, first, narrative="Перевірено 14 кандидатів")
        other, outcome = _in_thread(lambda: _save(secretary, second, narrative="Звіт оприлюднено"))
        other.join(LOCK_WAIT_SECONDS)
        # The second save finished while the first one's transaction is still open: it never waited.
        assert not other.is_alive()
        assert "error" not in outcome, outcome

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.narrative, second.narrative) == ("Перевірено 14 кандидатів", "Звіт оприлюднено")


def test_a_second_save_of_the_same_entry_waits_and_is_then_refused_as_stale(secretary, program_content):
    entry = program_content.entries["unit_quarter"]

    with transaction.atomic():
        _save(secretary, entry, narrative="перше")
        other, outcome = _in_thread(lambda: _save(secretary, entry, narrative="друге"))
        assert _waits_for_a_lock(other)
    other.join(LOCK_WAIT_SECONDS)

    assert isinstance(outcome.get("error"), ConcurrentEditError)
    entry.refresh_from_db()
    assert entry.narrative == "перше"


def test_an_approval_waits_for_a_cell_save_in_progress_and_approves_what_it_saved(secretary, program_content):
    period = program_content.periods[0]
    entry = program_content.entries["unit_quarter"]
    period_send_for_review(user=secretary, period=period)
    decision = approval_decision(period)

    with transaction.atomic():
        _save(secretary, entry, status=ExecutionStatus.NOT_DONE, non_execution_reasons="x", next_steps="y")
        approval, outcome = _in_thread(
            lambda: period_approve(user=secretary, period=period, decision=decision, incomplete_reason=GAPS_ACCEPTED)
        )
        assert _waits_for_a_lock(approval)
    approval.join(LOCK_WAIT_SECONDS)

    assert "error" not in outcome, outcome
    assert ReportingPeriod.objects.get(pk=period.pk).state == PeriodState.APPROVED
    entry.refresh_from_db()
    assert entry.status == ExecutionStatus.NOT_DONE
