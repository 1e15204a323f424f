"""Period lists read in a year's order: quarters, then half-years, then the year (issue 17 item 4)."""

import random

import pytest

from core.periods import PeriodKind
from reports.dashboard.selectors import dashboard_periods
from reports.execution.selectors import period_list
from tests.factories import ProgramFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

Q, H, Y = PeriodKind.QUARTER, PeriodKind.HALF_YEAR, PeriodKind.YEAR

# Two years of every kind, in the order a person reads them.
READING_ORDER = [
    (2023, Q, 1), (2023, Q, 2), (2023, Q, 3), (2023, Q, 4), (2023, H, 1), (2023, H, 2), (2023, Y, 1),
    (2024, Q, 1), (2024, Q, 2), (2024, H, 1), (2024, Y, 1),
]  # fmt: skip


@pytest.fixture
def periodic_program(organisation):
    program = ProgramFactory(organisation=organisation)
    shuffled = READING_ORDER[:]
    random.Random(17).shuffle(shuffled)  # created out of order, so the id cannot give the answer
    for year, kind, number in shuffled:
        ReportingPeriodFactory(program=program, year=year, kind=kind, number=number)
    return program


def keys(queryset) -> list[tuple]:
    return [(period.year, period.kind, period.number) for period in queryset]


def test_the_program_period_list_puts_quarters_before_half_years_and_the_year_last(periodic_program, secretary):
    assert keys(period_list(user=secretary, program=periodic_program)) == READING_ORDER


def test_the_dashboard_period_choice_reads_in_the_same_order(periodic_program, manager):
    assert keys(dashboard_periods(user=manager, program=periodic_program)) == READING_ORDER
