"""Reporting periods: their bounds, the units' submission deadline and their label."""

from datetime import date
from itertools import pairwise

import pytest
from django.utils import translation

from core.periods import PeriodKind, period_bounds, period_label, submission_due


@pytest.mark.parametrize(
    ("kind", "year", "number", "bounds"),
    [
        (PeriodKind.QUARTER, 2023, 1, (date(2023, 1, 1), date(2023, 3, 31))),
        (PeriodKind.QUARTER, 2023, 2, (date(2023, 4, 1), date(2023, 6, 30))),
        (PeriodKind.QUARTER, 2023, 3, (date(2023, 7, 1), date(2023, 9, 30))),
        (PeriodKind.QUARTER, 2024, 4, (date(2024, 10, 1), date(2024, 12, 31))),
        (PeriodKind.HALF_YEAR, 2024, 1, (date(2024, 1, 1), date(2024, 6, 30))),
        (PeriodKind.HALF_YEAR, 2024, 2, (date(2024, 7, 1), date(2024, 12, 31))),
        (PeriodKind.YEAR, 2025, 1, (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_a_period_runs_from_its_first_to_its_last_day(kind, year, number, bounds):
    assert period_bounds(kind, year, number) == bounds


def test_the_quarters_of_a_year_cover_it_without_gaps():
    quarters = [period_bounds(PeriodKind.QUARTER, 2024, number) for number in (1, 2, 3, 4)]

    assert quarters[0][0] == date(2024, 1, 1)
    assert quarters[-1][1] == date(2024, 12, 31)
    assert all((following[0] - previous[1]).days == 1 for previous, following in pairwise(quarters))


@pytest.mark.parametrize(
    ("ends_on", "days", "due"),
    [
        (date(2023, 3, 31), 15, date(2023, 4, 15)),
        (date(2023, 6, 30), 15, date(2023, 7, 15)),
        (date(2023, 12, 31), 15, date(2024, 1, 15)),
        (date(2023, 3, 31), 10, date(2023, 4, 10)),
    ],
)
def test_units_report_the_given_number_of_days_after_the_period_ends(ends_on, days, due):
    assert submission_due(ends_on, days) == due


@pytest.mark.parametrize(
    ("kind", "year", "number", "label"),
    [
        (PeriodKind.QUARTER, 2023, 1, "I quarter of 2023"),
        (PeriodKind.QUARTER, 2024, 4, "IV quarter of 2024"),
        (PeriodKind.HALF_YEAR, 2024, 2, "II half-year of 2024"),
        (PeriodKind.YEAR, 2025, 1, "2025 year"),
    ],
)
def test_a_period_is_labelled_in_english_with_latin_numerals(kind, year, number, label):
    with translation.override("en"):
        assert period_label(kind, year, number) == label


# Needs the Ukrainian catalogue: the domain brief writes "І квартал 2023 року".
def test_a_quarter_is_labelled_in_ukrainian_as_the_seed_reports_write_it():
    with translation.override("uk"):
        assert period_label(PeriodKind.QUARTER, 2023, 1) == "І квартал 2023 року"
