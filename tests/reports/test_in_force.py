"""A program brought into force mid-year is reported from the period in which it came into force: the quarters,
half-years and years that ended before are never opened, demanded, reminded or shown as overdue (issue 17,
defect 1). A period partly in force is reported, for the part in force."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from core.periods import PeriodKind, period_bounds, period_reported
from programs.choices import ProgramStatus
from programs.services import program_transition
from reports.execution.automation import periods_remind
from reports.execution.models import ReportingPeriod
from reports.execution.periods_create import reporting_periods_create
from tests.factories import MeasureFactory, ProgramFactory

pytestmark = pytest.mark.django_db

Q1, Q2, Q3, Q4 = ((PeriodKind.QUARTER, n) for n in (1, 2, 3, 4))
H1, H2 = ((PeriodKind.HALF_YEAR, n) for n in (1, 2))
YEAR = (PeriodKind.YEAR, 1)
EVERY_PERIOD = [Q1, Q2, Q3, Q4, H1, H2, YEAR]

# In force from → the periods of that year that are reported.
IN_FORCE_FROM = [
    (date(2025, 1, 1), {Q1, Q2, Q3, Q4, H1, H2, YEAR}),
    (date(2025, 2, 14), {Q1, Q2, Q3, Q4, H1, H2, YEAR}),  # mid-Q1: Q1 is reported for its last weeks
    (date(2025, 3, 31), {Q1, Q2, Q3, Q4, H1, H2, YEAR}),  # its last day still counts
    (date(2025, 4, 1), {Q2, Q3, Q4, H1, H2, YEAR}),  # first day of Q2: Q1 ended before
    (date(2025, 8, 20), {Q3, Q4, H2, YEAR}),  # mid-Q3: the first half-year ended before
    (date(2025, 12, 31), {Q4, H2, YEAR}),
]


@pytest.mark.parametrize(("in_force_on", "reported"), IN_FORCE_FROM, ids=[str(row[0]) for row in IN_FORCE_FROM])
@pytest.mark.parametrize("period", EVERY_PERIOD, ids=lambda p: f"{p[0]}-{p[1]}")
def test_a_period_is_reported_only_if_the_program_was_in_force_on_one_of_its_days(in_force_on, reported, period):
    ends_on = period_bounds(period[0], 2025, period[1])[1]

    assert period_reported(ends_on=ends_on, in_force_on=in_force_on) is (period in reported)


@pytest.mark.parametrize(("in_force_on", "reported"), IN_FORCE_FROM, ids=[str(row[0]) for row in IN_FORCE_FROM])
def test_only_the_periods_in_force_are_created_and_the_next_years_whole(organisation, in_force_on, reported):
    program = ProgramFactory(organisation=organisation, start_year=2025, end_year=2026, in_force_on=in_force_on)

    reporting_periods_create(program=program)

    periods = ReportingPeriod.objects.filter(program=program)
    assert {(p.kind, p.number) for p in periods if p.year == 2025} == reported
    assert {(p.kind, p.number) for p in periods if p.year == 2026} == set(EVERY_PERIOD)


def test_a_program_without_an_entry_date_is_reported_for_all_its_years(organisation):
    program = ProgramFactory(organisation=organisation, start_year=2025, end_year=2025, in_force_on=None)

    assert len(reporting_periods_create(program=program)) == len(EVERY_PERIOD)


def _bring_into_force(program, user, on: date | None) -> None:
    program_transition(
        program=program, to_status=ProgramStatus.APPROVED, user=user, document_number="7-од", document_date=on
    )
    program_transition(program=program, to_status=ProgramStatus.IN_FORCE, user=user, document_date=on)


TODAY = "today"


@pytest.mark.parametrize(
    ("approved_on", "agreed_on", "in_force_document", "expected"),
    [
        (date(2024, 3, 30), None, date(2024, 4, 3), date(2024, 4, 3)),  # the in-force document itself
        (date(2024, 3, 30), None, None, date(2024, 3, 30)),  # no document: the head's approval order
        (date(2024, 3, 30), date(2024, 5, 12), None, date(2024, 5, 12)),  # NAZK's agreement came later
        (None, None, None, TODAY),  # no order known at all: the day of the transition
    ],
)
def test_entering_into_force_dates_the_program_by_the_latest_document_that_made_it_effective(
    organisation, secretary, approved_on, agreed_on, in_force_document, expected
):
    today = timezone.localdate()
    expected = today if expected == TODAY else expected
    program = ProgramFactory(
        organisation=organisation,
        status=ProgramStatus.APPROVED,
        approval_order_date=approved_on,
        nazk_agreement_date=agreed_on,
        start_year=2024,
        end_year=today.year,
    )

    program_transition(
        program=program, to_status=ProgramStatus.IN_FORCE, user=secretary, document_date=in_force_document
    )

    program.refresh_from_db()
    assert program.in_force_on == expected
    # A body that starts using the portal in the middle of its program reports every quarter since it took effect.
    quarters = program.periods.filter(kind=PeriodKind.QUARTER).order_by("year", "number")
    assert (quarters[0].year, quarters[0].number) == (expected.year, (expected.month - 1) // 3 + 1)


def test_nobody_is_reminded_of_a_quarter_that_ended_before_the_program_came_into_force(
    organisation, secretary, reporter, reporter_unit
):
    # In force on 20 August: the second quarter (due 15 July) would be long overdue if it existed.
    program = ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT, start_year=2025, end_year=2025)
    MeasureFactory(task__section__program=program, responsible_units=[reporter_unit])
    _bring_into_force(program, secretary, date(2025, 8, 20))
    mail.outbox.clear()

    result = periods_remind(today=date(2025, 8, 25))

    assert result.overdue == []
    assert result.due_soon == []
    assert mail.outbox == []
    quarters = ReportingPeriod.objects.filter(program=program, kind=PeriodKind.QUARTER)
    assert sorted(quarters.values_list("number", flat=True)) == [3, 4]


def test_the_program_page_says_from_when_it_is_in_force(login, program):
    program.in_force_on = date(2025, 8, 20)
    program.save()

    page = login("secretary").get(f"/programs/{program.pk}/").content.decode()

    assert "Чинна з" in page
    assert "20.08.2025" in page
