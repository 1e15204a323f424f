"""Fixtures of the dashboard tests: the dashboard routes, a larger program and whistleblower cases."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token

from core.periods import PeriodKind
from reports.choices import EntryState, ExecutionStatus
from reports.execution.models import ExecutionEntry
from tests.factories import ReportingPeriodFactory, bulk_measures


def grow_program(content, units, count: int) -> None:
    """Add `count` measures, each with an entry in the first quarter, in a handful of queries."""
    measures = bulk_measures(content.program, units, count)
    first = content.periods[0]
    statuses = [ExecutionStatus.DONE, ExecutionStatus.IN_PROGRESS, ExecutionStatus.NOT_DONE]
    ExecutionEntry.objects.bulk_create(
        [
            ExecutionEntry(
                measure=measure,
                period=first,
                status=statuses[i % 3],
                state=EntryState.SUBMITTED if i % 2 else EntryState.DRAFT,
                submitted_at=dt.datetime(2023, 4, 10, tzinfo=dt.UTC) if i % 2 else None,
            )
            for i, measure in enumerate(measures)
        ]
    )


@pytest.fixture
def more_periods(program_content):
    """Quarters III and IV of 2023 besides the fixture's I and II."""
    program = program_content.program
    return [ReportingPeriodFactory(program=program, kind=PeriodKind.QUARTER, year=2023, number=n) for n in (3, 4)]


def token_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client
