"""Ukrainian working days, from the maintained `holidays` calendar (pure functions, no ORM).

The calendar rule is explicit because Ukraine changed it: under martial law (Law 2136-IX, in force since 15.03.2022)
public holidays are not days off and a holiday that falls on a weekend is no longer moved to a Monday. The `holidays`
library publishes exactly that — since 2023 the "public" category for UA is empty and the suspended holidays are in
the "workday" category — so the default rule is "weekends plus public holidays as the library publishes them", which
follows the law in force for every year without a code change when martial law ends.

A body that still treats the suspended holidays as days off (or a calculation for a period of peace) passes
`WorkCalendar(suspended_holidays_are_days_off=True)`. Saturdays the Cabinet declared working days (transfers before
2022) count as working days under both rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays


@dataclass(frozen=True)
class WorkCalendar:
    country: str = "UA"
    # The holidays suspended by martial law (library category "workday") count as days off too.
    suspended_holidays_are_days_off: bool = False


UKRAINE = WorkCalendar()


@lru_cache(maxsize=64)
def _calendar_year(calendar: WorkCalendar, year: int) -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    """Days off that are not weekends, weekend days that are working days, and the weekday numbers of the weekend."""
    public = holidays.country_holidays(calendar.country, years=year)
    days_off = set(public)
    if calendar.suspended_holidays_are_days_off:
        days_off |= set(holidays.country_holidays(calendar.country, years=year, categories=("workday",)))
    working_weekends = {day for day in getattr(public, "weekend_workdays", set()) if day.year == year}
    return frozenset(days_off), frozenset(working_weekends), frozenset(public.weekend)


def is_working_day(day: date, calendar: WorkCalendar = UKRAINE) -> bool:
    days_off, working_weekends, weekend = _calendar_year(calendar, day.year)
    if day in working_weekends:
        return True
    return day.weekday() not in weekend and day not in days_off


def add_working_days(start: date, count: int, calendar: WorkCalendar = UKRAINE) -> date:
    """The `count`-th working day after `start` (the day of the event itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, calendar):
            remaining -= 1
    return day


def next_working_day(day: date, calendar: WorkCalendar = UKRAINE) -> date:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day, calendar):
        day += timedelta(days=1)
    return day


def add_calendar_days(start: date, count: int, calendar: WorkCalendar = UKRAINE) -> date:
    """`count` calendar days after `start`; a term that ends on a day off ends on the next working day.

    This is the general rule for terms in Ukrainian law (Civil Code art. 254 § 5), applied to the whistleblower
    deadlines given in calendar days.
    """
    return next_working_day(start + timedelta(days=count), calendar)


def working_days_between(start: date, end: date, calendar: WorkCalendar = UKRAINE) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start, calendar)
    return sum(
        1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset), calendar)
    )
