"""Reports survive a broker outage and a worker killed mid-render: none stays pending or rendering for ever.

A private redis-server of the test's own is the broker; it and the worker are killed with SIGKILL. The workers run
with short limits (time limit, visibility timeout, sweep) given by the environment variables an operator would set.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from reports.choices import ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.documents.services import report_request
from tests.factories import bulk_measures
from tests.worker import broker, celery_worker, kill_worker, redis_server, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Short enough for a test, in the proportions of the defaults: time limit < visibility timeout < stale.
SHORT_LIMITS = {
    "CELERY_TASK_TIME_LIMIT": "20",
    "CELERY_TASK_SOFT_TIME_LIMIT": "19",
    "CELERY_VISIBILITY_TIMEOUT": "21",
    "REPORT_STALE_SECONDS": "22",
    "REPORT_SWEEP_SECONDS": "1",
}


@pytest.fixture
def redis():
    with redis_server() as server:
        yield server


@pytest.fixture
def execution_report(secretary, program_content):
    """Requests the execution report of a program large enough for its rendering to last a second or two."""
    program = program_content.program
    bulk_measures(program, list(program.organisation.units.all()[:2]), 60)

    def request() -> GeneratedReport:
        with transaction.atomic():
            return report_request(
                user=secretary, kind=ReportKind.EXECUTION, program=program, period=program_content.periods[0]
            )

    return request


def status_of(report) -> str:
    return GeneratedReport.objects.values_list("status", flat=True).get(pk=report.pk)


def test_a_report_requested_while_the_broker_is_down_is_sent_again_by_the_sweep(redis, execution_report, login):
    with broker(redis.url()) as queue:
        redis.kill()
        report = execution_report()

        report.refresh_from_db()
        assert (report.status, report.queued_at) == (ReportStatus.PENDING, None)
        page = login("secretary").get(f"/reports/{report.pk}/").content.decode()
        assert report.error in page
        assert f'action="/reports/{report.pk}/try-again/"' in page

        redis.start()
        # The sweep leaves a new report half a minute for its own hand-over to the broker; this one is older.
        GeneratedReport.objects.filter(pk=report.pk).update(requested_at=timezone.now() - timedelta(minutes=1))
        with celery_worker(broker_url=redis.url(), queue=queue, environment=SHORT_LIMITS, beat=True):
            wait_for(lambda: status_of(report) in {ReportStatus.READY, ReportStatus.FAILED}, timeout=40)

    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error


def test_try_again_on_a_report_the_broker_refused_starts_a_new_one_that_is_rendered(redis, execution_report, login):
    client = login("secretary")
    with broker(redis.url()) as queue:
        redis.kill()
        stuck = execution_report()
        redis.start()

        response = client.post(f"/reports/{stuck.pk}/try-again/")

        fresh = GeneratedReport.objects.exclude(pk=stuck.pk).get()
        assert response.status_code == 302
        assert response["Location"] == f"/reports/{fresh.pk}/"
        assert execution_report().pk == fresh.pk  # asking once more reuses the live one
        with celery_worker(broker_url=redis.url(), queue=queue, environment=SHORT_LIMITS):
            wait_for(lambda: status_of(fresh) in {ReportStatus.READY, ReportStatus.FAILED}, timeout=40)

    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == ReportStatus.FAILED
    assert fresh.status == ReportStatus.READY, fresh.error


def test_a_render_killed_with_its_worker_is_rendered_by_the_next_worker_after_the_visibility_timeout(
    redis, execution_report
):
    with broker(redis.url()) as queue:
        with celery_worker(broker_url=redis.url(), queue=queue, environment=SHORT_LIMITS) as worker:
            report = execution_report()
            wait_for(lambda: status_of(report) == ReportStatus.RUNNING, interval=0.05)
            kill_worker(worker)
            killed_at = time.monotonic()
        assert status_of(report) == ReportStatus.RUNNING

        with celery_worker(broker_url=redis.url(), queue=queue, environment=SHORT_LIMITS):
            wait_for(lambda: status_of(report) in {ReportStatus.READY, ReportStatus.FAILED}, timeout=50)
        waited = time.monotonic() - killed_at

    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    assert report.attempts == 2
    assert waited < int(SHORT_LIMITS["CELERY_VISIBILITY_TIMEOUT"]) + 25


def test_a_render_lost_with_redis_itself_is_sent_again_by_the_sweep(redis, execution_report):
    with broker(redis.url()) as queue:
        with celery_worker(broker_url=redis.url(), queue=queue, environment=SHORT_LIMITS) as worker:
            report = execution_report()
            wait_for(lambda: status_of(report) == ReportStatus.RUNNING, interval=0.05)
            kill_worker(worker)
        redis.kill()  # without persistence: the unacknowledged task is gone with it
        redis.start()

        with celery_worker(broker_url=redis.url(), queue=queue, environment=SHORT_LIMITS, beat=True):
            wait_for(lambda: status_of(report) in {ReportStatus.READY, ReportStatus.FAILED}, timeout=50)

    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    assert report.attempts == 2
