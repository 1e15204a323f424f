"""The real worker: a Celery process on Redis renders the execution report and the user downloads it over HTTP."""

import hashlib
import io
import os
import signal
import subprocess
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from pypdf import PdfReader

from core.periods import PeriodKind
from programs.models import Program
from reports.choices import ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.documents.services import report_request
from tests.demo_snapshot import load_demo
from tests.factories import bulk_measures
from tests.second_factor import verified_login
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_program(transactional_db):
    load_demo()
    return Program.objects.get(organisation__short_name="ДМС", start_year=2023)


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed and WeasyPrint's automatic hyphenation (U+2010) undone."""
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\u2010 ", "").replace("\u2010", "")


def _download(live_server, client, path: str) -> bytes:
    session = client.cookies["sessionid"].value
    request = urllib.request.Request(live_server.url + path, headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/pdf"
        return response.read()


def test_the_worker_renders_the_execution_report_and_it_downloads_over_http(demo_program, live_server, client):
    secretary = get_user_model().objects.get(username="secretary")
    period = demo_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    verified_login(client, secretary)

    with celery_worker():
        with transaction.atomic():
            report = report_request(user=secretary, kind=ReportKind.EXECUTION, program=demo_program, period=period)
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).status in {ReportStatus.READY, ReportStatus.FAILED})

    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    content = _download(live_server, client, f"/reports/{report.pk}/download/")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Проведення тренінгу «Практичні аспекти заповнення електронної декларації»" in text
    assert "Сторінка 1 з" in text
    assert hashlib.sha256(content).hexdigest() == report.sha256


def test_the_same_request_reuses_the_rendered_file(demo_program):
    secretary = get_user_model().objects.get(username="secretary")
    period = demo_program.periods.get(kind=PeriodKind.YEAR, year=2023)

    with celery_worker():
        with transaction.atomic():
            first = report_request(user=secretary, kind=ReportKind.EXECUTION, program=demo_program, period=period)
        wait_for(lambda: GeneratedReport.objects.get(pk=first.pk).status == ReportStatus.READY)
        with transaction.atomic():
            second = report_request(user=secretary, kind=ReportKind.EXECUTION, program=demo_program, period=period)

    assert second.pk == first.pk
    assert GeneratedReport.objects.count() == 1


def _pool_children(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in result.stdout.split()]


def test_a_worker_process_killed_mid_render_leaves_a_report_that_is_retried_to_ready(demo_program):
    """Late acknowledgement: the task goes back to the queue when its process dies, and is rendered again."""
    secretary = get_user_model().objects.get(username="secretary")
    period = demo_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    # Enough rows for the rendering to last a few seconds.
    bulk_measures(demo_program, list(demo_program.organisation.units.all()[:2]), 400)

    with celery_worker() as worker:
        with transaction.atomic():
            report = report_request(user=secretary, kind=ReportKind.EXECUTION, program=demo_program, period=period)
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).status == ReportStatus.RUNNING, interval=0.05)
        for child in _pool_children(worker.pid):
            os.kill(child, signal.SIGKILL)
        wait_for(
            lambda: GeneratedReport.objects.get(pk=report.pk).status in {ReportStatus.READY, ReportStatus.FAILED},
            timeout=120,
        )

    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    assert report.attempts == 2
