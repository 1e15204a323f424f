"""The trail is kept for years: the daily jobs, which forget other expired records, leave every entry in place."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import record
from reports.documents.tasks import daily_jobs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "run",
    [lambda: call_command("run_daily_jobs", stdout=io.StringIO()), daily_jobs],
    ids=["run_daily_jobs from cron", "daily_jobs in Celery beat"],
)
def test_the_daily_jobs_keep_every_entry_however_old(secretary, run, monkeypatch):
    years_ago = timezone.now() - dt.timedelta(days=3 * 366)
    monkeypatch.setattr("audit.services.timezone.now", lambda: years_ago)
    old = [record(AuditAction.SIGNED_IN, actor=secretary) for _ in range(3)]
    monkeypatch.undo()

    run()

    assert list(AuditEvent.objects.order_by("sequence")) == old
    assert old[0].occurred_at < timezone.now() - dt.timedelta(days=3 * 365)
