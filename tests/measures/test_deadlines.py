"""Structured deadlines: when a measure is due, and how the deadline reads in a report."""

from datetime import date

import pytest
from django.utils import translation

from core.periods import half_end, quarter_end, roman
from measures.choices import DeadlineKind
from measures.deadlines import Deadline, due_dates, is_due_in, phrase

START, END = 2023, 2025


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (Deadline(DeadlineKind.DATE, on=date(2024, 5, 15)), [date(2024, 5, 15)]),
        (Deadline(DeadlineKind.DATE), []),
        (Deadline(DeadlineKind.QUARTER, part=2), [date(2023, 6, 30), date(2024, 6, 30), date(2025, 6, 30)]),
        (Deadline(DeadlineKind.QUARTER, part=1, year=2024), [date(2024, 3, 31)]),
        (Deadline(DeadlineKind.HALF_YEAR, part=1), [date(2023, 6, 30), date(2024, 6, 30), date(2025, 6, 30)]),
        (Deadline(DeadlineKind.HALF_YEAR, part=2, year=2025), [date(2025, 12, 31)]),
        (Deadline(DeadlineKind.YEAR), [date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)]),
        (Deadline(DeadlineKind.YEAR, year=2024), [date(2024, 12, 31)]),
        (Deadline(DeadlineKind.EVERY_YEAR), [date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)]),
        (Deadline(DeadlineKind.PROGRAM_PERIOD), [date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)]),
        (
            Deadline(DeadlineKind.EVERY_HALF_YEAR),
            [date(y, m, d) for y in (2023, 2024, 2025) for m, d in ((6, 30), (12, 31))],
        ),
        (Deadline(DeadlineKind.CONTINUOUS), []),
        (Deadline(DeadlineKind.BEFORE_EVENT, days=10), []),
        (Deadline(DeadlineKind.AFTER_EVENT, days=3), []),
    ],
    ids=lambda value: value.kind if isinstance(value, Deadline) else None,
)
def test_due_dates_for_each_kind_over_a_2023_2025_program(deadline, expected):
    assert due_dates(deadline, START, END) == expected


def test_a_measure_due_every_quarter_is_due_at_the_end_of_each_of_twelve_quarters():
    dates = due_dates(Deadline(DeadlineKind.EVERY_QUARTER), START, END)

    assert len(dates) == 12
    assert dates[:4] == [date(2023, 3, 31), date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31)]
    assert dates[-1] == date(2025, 12, 31)
    assert dates == sorted(dates)


def test_quarter_and_half_ends_fall_on_the_last_day_of_the_month():
    assert [quarter_end(2024, quarter) for quarter in (1, 2, 3, 4)] == [
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]
    assert (half_end(2024, 1), half_end(2024, 2)) == (date(2024, 6, 30), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("deadline", "period", "due"),
    [
        (Deadline(DeadlineKind.QUARTER, part=2), (date(2024, 4, 1), date(2024, 6, 30)), True),
        (Deadline(DeadlineKind.QUARTER, part=2), (date(2024, 1, 1), date(2024, 3, 31)), False),
        (Deadline(DeadlineKind.QUARTER, part=2, year=2025), (date(2024, 4, 1), date(2024, 6, 30)), False),
        (Deadline(DeadlineKind.HALF_YEAR, part=1), (date(2024, 1, 1), date(2024, 6, 30)), True),
        (Deadline(DeadlineKind.YEAR), (date(2024, 10, 1), date(2024, 12, 31)), True),
        (Deadline(DeadlineKind.YEAR), (date(2024, 7, 1), date(2024, 9, 30)), False),
        (Deadline(DeadlineKind.DATE, on=date(2024, 5, 15)), (date(2024, 4, 1), date(2024, 6, 30)), True),
        (Deadline(DeadlineKind.DATE, on=date(2024, 5, 15)), (date(2024, 7, 1), date(2024, 9, 30)), False),
        (Deadline(DeadlineKind.EVERY_QUARTER), (date(2025, 7, 1), date(2025, 9, 30)), True),
        (Deadline(DeadlineKind.EVERY_QUARTER), (date(2026, 1, 1), date(2026, 3, 31)), False),
        (Deadline(DeadlineKind.CONTINUOUS), (date(2024, 7, 1), date(2024, 9, 30)), True),
        (Deadline(DeadlineKind.BEFORE_EVENT, days=10), (date(2023, 1, 1), date(2023, 3, 31)), True),
        (Deadline(DeadlineKind.AFTER_EVENT, days=3), (date(2025, 10, 1), date(2025, 12, 31)), True),
    ],
)
def test_is_due_in_tells_whether_a_measure_is_reported_for_a_period(deadline, period, due):
    assert is_due_in(deadline, *period, START, END) is due


@pytest.mark.parametrize(
    ("deadline", "messages"),
    [
        (Deadline(DeadlineKind.QUARTER, part=3), []),
        (Deadline(DeadlineKind.DATE, on=date(2024, 5, 15)), []),
        (Deadline(DeadlineKind.AFTER_EVENT, days=3), []),
        (Deadline(DeadlineKind.CONTINUOUS), []),
        (Deadline("weekly"), ["Choose a kind of deadline."]),
        (Deadline(DeadlineKind.DATE), ["Enter the date of the deadline."]),
        (Deadline(DeadlineKind.QUARTER), ["Choose the quarter (1 to 4)."]),
        (Deadline(DeadlineKind.QUARTER, part=5), ["Choose the quarter (1 to 4)."]),
        (Deadline(DeadlineKind.HALF_YEAR, part=3), ["Choose the half-year (1 or 2)."]),
        (Deadline(DeadlineKind.BEFORE_EVENT, days=0), ["Enter the number of working days (at least 1)."]),
        (Deadline(DeadlineKind.AFTER_EVENT), ["Enter the number of working days (at least 1)."]),
    ],
)
def test_validate_names_what_to_fix_in_an_incomplete_deadline(deadline, messages):
    with translation.override("en"):
        assert deadline.validate() == messages


def test_ukrainian_quarters_use_the_cyrillic_letter_i():
    assert [roman(number, "uk") for number in (1, 2, 3, 4)] == ["І", "ІІ", "ІІІ", "ІV"]
    # U+0406 CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I, not the Latin I that looks the same.
    assert roman(1, "uk") == "\u0406" != "I"


def test_english_and_russian_quarters_use_latin_numerals():
    assert [roman(number, "en") for number in (1, 2, 3, 4)] == ["I", "II", "III", "IV"]
    assert roman(2, "ru") == "II"


def test_roman_numerals_follow_the_active_language():
    with translation.override("en"):
        assert roman(3) == "III"
    with translation.override("uk"):
        assert roman(3) == "ІІІ"


def test_numerals_above_four_are_written_out_for_section_numbers():
    assert roman(9, "en") == "IX"
    assert roman(14, "en") == "XIV"
    assert roman(6, "uk") == "VІ"


@pytest.mark.parametrize(
    ("deadline", "text"),
    [
        (Deadline(DeadlineKind.DATE, on=date(2023, 3, 28)), "by 28.03.2023"),
        (Deadline(DeadlineKind.QUARTER, part=1), "I quarter"),
        (Deadline(DeadlineKind.QUARTER, part=4, year=2024), "IV quarter of 2024"),
        (Deadline(DeadlineKind.HALF_YEAR, part=2), "II half-year"),
        (Deadline(DeadlineKind.HALF_YEAR, part=1, year=2023), "I half-year of 2023"),
        (Deadline(DeadlineKind.YEAR), "During the year"),
        (Deadline(DeadlineKind.YEAR, year=2025), "During 2025"),
        (Deadline(DeadlineKind.EVERY_QUARTER), "Every quarter"),
        (Deadline(DeadlineKind.EVERY_HALF_YEAR), "Every half-year"),
        (Deadline(DeadlineKind.EVERY_YEAR), "Every year"),
        (Deadline(DeadlineKind.PROGRAM_PERIOD), "January–December 2023–2025"),
        (Deadline(DeadlineKind.CONTINUOUS), "Continuously"),
        (Deadline(DeadlineKind.BEFORE_EVENT, days=10), "Within 10 working days before the event"),
        (Deadline(DeadlineKind.AFTER_EVENT, days=3), "No later than 3 working days from the day after the event"),
    ],
)
def test_a_deadline_reads_as_an_english_report_writes_it(deadline, text):
    with translation.override("en"):
        assert phrase(deadline, START, END) == text


def test_the_program_period_without_years_reads_without_them():
    with translation.override("en"):
        assert phrase(Deadline(DeadlineKind.PROGRAM_PERIOD)) == "January–December"


# Needs the Ukrainian catalogue (locale/uk/LC_MESSAGES/django.mo): these are the phrases of seed 001.
@pytest.mark.parametrize(
    ("deadline", "text"),
    [
        (Deadline(DeadlineKind.QUARTER, part=1), "І квартал"),
        (Deadline(DeadlineKind.EVERY_HALF_YEAR), "Щопівроку"),
        (Deadline(DeadlineKind.YEAR), "Протягом року"),
        (Deadline(DeadlineKind.AFTER_EVENT, days=3), "Не пізніше 3 робочих днів з дня після (події)"),
        (Deadline(DeadlineKind.BEFORE_EVENT, days=10), "Протягом 10 робочих днів до дня настання події"),
    ],
    ids=["quarter", "every_half_year", "year", "after_event", "before_event"],
)
def test_a_deadline_reads_back_as_the_ukrainian_phrase_of_the_seed_program(deadline, text):
    with translation.override("uk"):
        assert phrase(deadline, START, END) == text
