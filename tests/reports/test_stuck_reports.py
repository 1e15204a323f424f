"""A report that is stuck (the broker refused it, or its worker died) is never the answer to asking again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.choices import ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.documents.services import MAX_ATTEMPTS, report_render, report_request

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(hours=2)


@pytest.fixture
def requested(secretary, program_content):
    def request() -> GeneratedReport:
        return report_request(
            user=secretary,
            kind=ReportKind.EXECUTION,
            program=program_content.program,
            period=program_content.periods[0],
        )

    return request


@pytest.mark.parametrize(
    ("state", "starts_a_new_one"),
    [
        ({"status": ReportStatus.PENDING, "queued_at": "now"}, False),
        ({"status": ReportStatus.RUNNING, "started_at": "now"}, False),
        ({"status": ReportStatus.READY, "finished_at": "now", "file": "reports/x.pdf", "sha256": "0" * 64}, False),
        ({"status": ReportStatus.PENDING, "queued_at": "long ago"}, True),
        ({"status": ReportStatus.PENDING, "error": "The worker could not be reached."}, True),
        ({"status": ReportStatus.RUNNING, "started_at": "long ago"}, True),
        ({"status": ReportStatus.FAILED, "error": "Boom"}, True),
    ],
    ids=["queued", "rendering", "ready", "queued-long-ago", "refused-by-broker", "rendering-long-ago", "failed"],
)
def test_asking_again_reuses_a_live_report_and_replaces_a_stuck_one(requested, state, starts_a_new_one):
    first = requested()
    moments = {"now": timezone.now(), "long ago": timezone.now() - LONG_AGO}
    GeneratedReport.objects.filter(pk=first.pk).update(
        **{field: moments.get(value, value) for field, value in state.items()}
    )

    second = requested()

    assert (second.pk != first.pk) == starts_a_new_one
    first.refresh_from_db()
    if starts_a_new_one:
        assert first.status == ReportStatus.FAILED
        assert first.error


def test_a_late_copy_of_the_task_does_not_revive_a_failed_report(requested):
    report = requested()
    GeneratedReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error="Superseded")

    assert report_render(report_id=report.pk).status == ReportStatus.FAILED
    report.refresh_from_db()
    assert (report.attempts, report.file.name) == (0, "")


def test_a_report_that_killed_its_worker_every_time_is_failed_not_rendered_again(requested, english_messages):
    report = requested()
    GeneratedReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, attempts=MAX_ATTEMPTS)

    report = report_render(report_id=report.pk)

    assert report.status == ReportStatus.FAILED
    assert "stopped" in report.error


@pytest.mark.parametrize(
    ("persona", "sees_try_again", "try_again_status"),
    [("secretary", True, 302), ("commission", False, 404), ("outsider", False, 404)],
)
def test_the_report_page_offers_try_again_to_those_who_may_request_it(
    requested, login, persona, sees_try_again, try_again_status
):
    report = requested()
    GeneratedReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error="Boom")
    client = login(persona)

    page = client.get(f"/reports/{report.pk}/")
    response = client.post(f"/reports/{report.pk}/try-again/")

    if persona != "outsider":
        assert ("/try-again/" in page.content.decode()) == sees_try_again
    assert response.status_code == try_again_status
    assert GeneratedReport.objects.count() == (2 if try_again_status == 302 else 1)


def test_a_stuck_report_is_shown_as_such_and_not_as_being_prepared(requested, login):
    report = requested()
    GeneratedReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now() - LONG_AGO
    )

    page = login("secretary").get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'http-equiv="refresh"' not in page
    assert "the worker may have stopped" in page
    assert "/try-again/" in page
