"""An approval and a cell save that overlap: the save must not slip in after the period is locked.

Two real PostgreSQL connections: the test's own runs `period_approve` and keeps its transaction open while a second
thread saves a cell. The save has to wait for the approval and then be refused, leaving the entry as it was.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from reports.choices import ExecutionStatus, PeriodState
from reports.execution.models import ReportingPeriod
from reports.execution.period_services import period_approve, period_send_for_review
from reports.execution.services import PeriodLockedError, entry_edit
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision

pytestmark = pytest.mark.django_db(transaction=True)
LOCK_WAIT_SECONDS = 10


def _waiting_for_a_lock(backend_pid: int) -> bool:
    """Whether that one connection waits for a lock: other sessions of the server (other tests, other databases) do
    not count."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = %s", [backend_pid])
        return cursor.fetchone()[0] > 0


def test_a_cell_saved_while_the_commission_approves_waits_and_is_then_refused(secretary, program_content):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    period = program_content.periods[0]
    entry = program_content.entries["unit_quarter"]
    outcome: dict[str, object] = {}
    connected = threading.Event()

    def save_cell() -> None:
        try:
            with connection.cursor() as cursor:  # this thread's own connection
                cursor.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cursor.fetchone()[0]
            connected.set()
            entry_edit(
                user=secretary,
                measure=entry.measure,
                period=period,
                changes={"status": ExecutionStatus.NOT_DONE},
                expected_version=entry.version,
            )
            outcome["saved"] = True
        except PeriodLockedError as error:
            outcome["refused"] = str(error)
        finally:
            connected.set()
            connections.close_all()

    period_send_for_review(user=secretary, period=period)
    decision = approval_decision(period)
    with transaction.atomic():
        period_approve(user=secretary, period=period, decision=decision, incomplete_reason=GAPS_ACCEPTED)
        saver = threading.Thread(target=save_cell)
        saver.start()
        assert connected.wait(LOCK_WAIT_SECONDS), "the saver never connected"
        saver_pid = outcome["pid"]
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while not _waiting_for_a_lock(saver_pid) and saver.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_for_a_lock(saver_pid), f"the cell save did not wait for the approval: {outcome}"
    saver.join(LOCK_WAIT_SECONDS)

    assert "refused" in outcome
    assert ReportingPeriod.objects.get(pk=period.pk).state == PeriodState.APPROVED
    entry.refresh_from_db()
    assert entry.status != ExecutionStatus.NOT_DONE
