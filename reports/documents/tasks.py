"""Celery tasks: thin wrappers that take an id and call a service.

Each task keeps the name it had before the reports app was divided into rooms, so that messages already queued
and the beat schedule in settings still reach it."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from idempotency.services import idempotency_cleanup
from reports.documents import services as generation
from reports.execution import automation
from whistleblowers.retention import retention_run


@shared_task(
    name="reports.tasks.render_report",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def render_report(self, report_id: int) -> None:
    try:
        generation.report_render(report_id=report_id)
    except SoftTimeLimitExceeded:
        generation.report_fail(report_id=report_id, reason="The report took longer than the time limit to render.")
        raise
    except (OperationalError, InterfaceError):
        if self.request.retries >= self.max_retries:
            generation.report_fail(report_id=report_id, reason="The database was unavailable while rendering.")
        raise
    except Exception as error:
        generation.report_fail(report_id=report_id, reason=f"{type(error).__name__}: {error}")
        raise


@shared_task(name="reports.tasks.sweep_reports")
def sweep_reports() -> tuple[int, int]:
    """Periodic: re-send reports the broker never took or whose worker died; fail those tried too often."""
    return generation.reports_sweep()


@shared_task(name="reports.tasks.daily_jobs")
def daily_jobs() -> dict:
    """Periodic (every morning): remind units before a quarter's due date and after it; forget expired
    Idempotency-Keys of API clients; erase whistleblower cases past their retention period."""
    result = automation.periods_remind()
    return {
        "due_soon": result.due_soon,
        "overdue": result.overdue,
        "idempotency_keys_deleted": idempotency_cleanup(),
        "whistleblower_cases_erased": retention_run(),
    }
