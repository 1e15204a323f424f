"""The data migration reports 0010 (issue 17): programs already in force before entry-into-force dates existed are
dated by their first entry into force, and only the periods that ended before it and hold nothing are removed.

The migration's function runs on the current schema here (its model look-ups go through the app registry it is
given); every field it reads still exists, so this is the logic that ran, case by case."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from core.periods import PeriodKind
from programs.choices import ProgramStatus
from programs.models import ProgramStatusChange
from reports.choices import PeriodAction
from reports.execution.models import PeriodEvent
from reports.execution.periods_create import reporting_periods_create
from tests.factories import (
    ExecutionEntryFactory,
    GeneratedReportFactory,
    MeasureFactory,
    MeetingFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("reports.migrations.0010_periods_before_entry_into_force")

Q1, Q2, Q3 = ((2025, PeriodKind.QUARTER, n) for n in (1, 2, 3))
H1 = (2025, PeriodKind.HALF_YEAR, 1)
EARLIER = {Q1, Q2, H1}  # what ended before 20 August 2025


def _period(program, key):
    year, kind, number = key
    return program.periods.get(year=year, kind=kind, number=number)


def _entry(program, key):
    ExecutionEntryFactory(measure=MeasureFactory(task__section__program=program), period=_period(program, key))


def _event(program, key):
    PeriodEvent.objects.create(period=_period(program, key), action=PeriodAction.REMINDED)


def _decision(program, key):
    meeting = MeetingFactory(commission__organisation=program.organisation)
    meeting.items.create(position=1, title="Звіт", period=_period(program, key))


def _report(program, key):
    GeneratedReportFactory(organisation=program.organisation, program=program, period=_period(program, key))


# What the period Q1 holds → whether Q1 survives; Q2 and H1 hold nothing and always go.
HOLDINGS = [
    ("nothing", None, False),
    ("an entry", _entry, True),
    ("an event", _event, True),
    ("a decision", _decision, True),
    ("a report", _report, True),
]


def _legacy_program(organisation, document_date):
    """A program brought into force before the date was stored: periods for every quarter, no `in_force_on`."""
    program = ProgramFactory(
        organisation=organisation, status=ProgramStatus.IN_FORCE, start_year=2025, end_year=2025, in_force_on=None
    )
    reporting_periods_create(program=program)
    change = ProgramStatusChange.objects.create(
        program=program,
        from_status=ProgramStatus.AGREED,
        to_status=ProgramStatus.IN_FORCE,
        document_date=document_date,
    )
    ProgramStatusChange.objects.filter(pk=change.pk).update(changed_at=dt.datetime(2025, 8, 20, 11, 0, tzinfo=dt.UTC))
    return program


@pytest.mark.parametrize(("holding", "record", "kept"), HOLDINGS, ids=[row[0] for row in HOLDINGS])
@pytest.mark.parametrize("document_date", [dt.date(2025, 8, 20), None], ids=["by its document", "by the day"])
def test_a_program_is_dated_and_only_untouched_earlier_periods_go(organisation, holding, record, kept, document_date):
    program = _legacy_program(organisation, document_date)
    if record is not None:
        record(program, Q1)
    before = set(program.periods.values_list("year", "kind", "number"))

    migration.date_programs_and_drop_earlier_periods(apps, None)

    program.refresh_from_db()
    assert program.in_force_on == dt.date(2025, 8, 20)
    expected = before - EARLIER | ({Q1} if kept else set())
    assert set(program.periods.values_list("year", "kind", "number")) == expected
    assert Q3 in expected


def test_a_program_never_in_force_and_one_already_dated_are_left_alone(organisation):
    never = ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT, start_year=2025, end_year=2025)
    reporting_periods_create(program=never)
    dated = ProgramFactory(
        organisation=organisation,
        status=ProgramStatus.IN_FORCE,
        start_year=2025,
        end_year=2025,
        in_force_on=dt.date(2025, 1, 1),
        title="Інша програма",
    )
    reporting_periods_create(program=dated)
    ProgramStatusChange.objects.create(
        program=dated, from_status=ProgramStatus.AGREED, to_status=ProgramStatus.IN_FORCE, document_date=None
    )
    counts = (never.periods.count(), dated.periods.count())

    migration.date_programs_and_drop_earlier_periods(apps, None)

    never.refresh_from_db()
    dated.refresh_from_db()
    assert (never.in_force_on, dated.in_force_on) == (None, dt.date(2025, 1, 1))
    assert (never.periods.count(), dated.periods.count()) == counts
