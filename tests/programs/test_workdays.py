"""Ukrainian working days: weekends, public holidays as the library publishes them, and the martial-law rule."""

from datetime import date

import pytest

from core.workdays import (
    WorkCalendar,
    add_calendar_days,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

PEACETIME_RULE = WorkCalendar(suspended_holidays_are_days_off=True)


def test_a_weekend_is_not_a_working_day():
    assert not is_working_day(date(2024, 3, 9))  # Saturday
    assert not is_working_day(date(2024, 3, 10))  # Sunday
    assert is_working_day(date(2024, 3, 11))


def test_before_martial_law_a_public_holiday_and_its_observed_monday_are_days_off():
    # 2021: Labour Day fell on Saturday and Easter on Sunday, so 3 and 4 May were days off.
    assert not is_working_day(date(2021, 5, 3))
    assert not is_working_day(date(2021, 5, 4))
    assert add_working_days(date(2021, 4, 30), 1) == date(2021, 5, 5)


def test_a_saturday_declared_a_working_day_counts_as_one():
    # 12.03.2022 was worked in exchange for Monday 07.03.2022.
    assert is_working_day(date(2022, 3, 12))
    assert not is_working_day(date(2022, 3, 7))


def test_under_martial_law_public_holidays_are_working_days_by_default():
    assert is_working_day(date(2024, 12, 25))  # Christmas
    assert is_working_day(date(2024, 8, 24)) is False  # Saturday anyway
    assert is_working_day(date(2024, 10, 1))  # Defenders' Day, a Tuesday


def test_the_peacetime_rule_treats_suspended_holidays_as_days_off():
    assert not is_working_day(date(2024, 12, 25), PEACETIME_RULE)
    assert not is_working_day(date(2024, 10, 1), PEACETIME_RULE)


def test_ten_working_days_skip_weekends():
    # Monday 05.02.2024 + 10 working days = Monday 19.02.2024.
    assert add_working_days(date(2024, 2, 5), 10) == date(2024, 2, 19)


def test_ten_working_days_across_new_year_and_christmas_of_2021_skip_the_holidays():
    # 31.12.2020 (Thu): 1.01 holiday, 2–3 weekend, 7.01 Christmas, 8.01 transferred day off, 9–10 weekend.
    assert add_working_days(date(2020, 12, 31), 10) == date(2021, 1, 18)


def test_the_peacetime_rule_moves_a_working_day_term_past_christmas_2024():
    assert add_working_days(date(2024, 12, 20), 3) == date(2024, 12, 25)
    assert add_working_days(date(2024, 12, 20), 3, PEACETIME_RULE) == date(2024, 12, 26)


def test_a_calendar_day_term_ending_on_a_weekend_ends_on_the_next_working_day():
    assert add_calendar_days(date(2024, 3, 6), 3) == date(2024, 3, 11)  # Saturday → Monday
    assert add_calendar_days(date(2024, 3, 4), 3) == date(2024, 3, 7)


def test_next_working_day_of_a_working_day_is_itself():
    assert next_working_day(date(2024, 3, 11)) == date(2024, 3, 11)
    assert next_working_day(date(2024, 3, 9)) == date(2024, 3, 11)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(date(2024, 2, 5), date(2024, 2, 19)) == 10
    assert working_days_between(date(2024, 2, 19), date(2024, 2, 5)) == -10
    assert working_days_between(date(2024, 2, 5), date(2024, 2, 5)) == 0


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2024, 2, 5), -1)
