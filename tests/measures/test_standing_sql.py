"""The SQL twin of the due-ness rule answers as the rule does: the table of tests/measures/test_standing.py (every
deadline kind × the period's position × when, or whether, the measure was reported done), each case stored as a
measure with its "done" entries and asked of the database the dashboard's way.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.periods import PeriodKind, quarter_end
from measures.deadlines import Deadline
from measures.models import Measure
from reports.choices import ExecutionStatus
from reports.dashboard.placed import PeriodSpan, as_date, fetch, placed_cte
from tests.factories import ExecutionEntryFactory, MeasureFactory, ProgramFactory, ReportingPeriodFactory
from tests.measures.test_standing import ALWAYS, BY_DATE, END, MAR29, ONE_OFF, Q1, RECURRING, START

pytestmark = pytest.mark.django_db

A_LATE_DAY = date(2030, 1, 1)


def quarter_of(day: date) -> tuple[int, int]:
    quarter = (day.month - 1) // 3 + 1
    assert day == quarter_end(day.year, quarter), "the table reports «done» at the ends of quarters"
    return day.year, quarter


def ask_the_database(deadline: Deadline, quarter, done_on, done_now, *, today=A_LATE_DAY):
    program = ProgramFactory(start_year=START, end_year=END)
    measure = MeasureFactory(
        task__section__program=program,
        deadline_kind=deadline.kind,
        deadline_year=deadline.year,
        deadline_part=deadline.part,
        deadline_date=deadline.on,
        deadline_days=deadline.days,
    )
    periods = {}

    def period(year, number):
        if (year, number) not in periods:
            periods[year, number] = ReportingPeriodFactory(
                program=program, kind=PeriodKind.QUARTER, year=year, number=number
            )
        return periods[year, number]

    for day in done_on:
        ExecutionEntryFactory(measure=measure, period=period(*quarter_of(day)), status=ExecutionStatus.DONE)
    asked = period(*quarter)
    if done_now:
        ExecutionEntryFactory(measure=measure, period=asked, status=ExecutionStatus.DONE)
    sql, params = placed_cte(
        Measure.objects.filter(pk=measure.pk),
        span=PeriodSpan(PeriodKind.QUARTER, *quarter),
        period_ids=[asked.pk],
        program_ids=[program.pk],
        today=today,
    )
    [(due, overdue_since)] = fetch(sql + "SELECT due, overdue_since FROM placed", params)
    return bool(due), as_date(overdue_since)


@pytest.mark.parametrize(
    ("deadline", "quarter", "done_on", "done_now", "expected"),
    ONE_OFF + RECURRING + ALWAYS,
    ids=lambda value: value.kind if isinstance(value, Deadline) else None,
)
def test_the_database_says_what_the_rule_says(deadline, quarter, done_on, done_now, expected):
    assert ask_the_database(deadline, quarter, done_on, done_now) == (expected.due, expected.overdue_since)


@pytest.mark.parametrize(
    ("today", "overdue_since"),
    [(date(2024, 2, 15), None), (date(2024, 3, 29), None), (date(2024, 3, 30), MAR29), (date(2024, 11, 28), MAR29)],
)
def test_the_database_calls_a_deadline_overdue_only_once_its_day_is_over(today, overdue_since):
    assert ask_the_database(BY_DATE, Q1, [], False, today=today) == (True, overdue_since)
