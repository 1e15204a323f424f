"""Reporting-period arithmetic, free of queries: quarters, half-years, years, their bounds, names and numerals, and
the order periods are read in (an ORM expression on a period's `kind`, `year` and `number`)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF_YEAR = "half_year", gettext_lazy("Half-year")
    YEAR = "year", gettext_lazy("Year")


# Periods (rows with `year`, `kind` and `number`) read in a year's order: the quarters, then the half-years, then the
# year itself (the kind's stored value sorts half-years first).
PERIOD_READING_ORDER = (
    "year",
    Case(
        When(kind=PeriodKind.QUARTER, then=Value(1)),
        When(kind=PeriodKind.HALF_YEAR, then=Value(2)),
        default=Value(3),
    ).asc(),
    "number",
)


UKRAINIAN_ROMAN = {1: "І", 2: "ІІ", 3: "ІІІ", 4: "ІV"}
LATIN_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def roman(number: int, language: str | None = None) -> str:
    """Quarter and section numerals; Ukrainian documents write the numeral one with the Cyrillic letter І."""
    language = (language or get_language() or "uk")[:2]
    table = UKRAINIAN_ROMAN if language == "uk" else LATIN_ROMAN
    if number in table:
        return table[number]
    values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, numeral in values:
        while number >= value:
            result += numeral
            number -= value
    return result.replace("I", "І") if language == "uk" else result


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def half_end(year: int, half: int) -> date:
    return date(year, 6, 30) if half == 1 else date(year, 12, 31)


def quarter_number(day: date) -> int:
    """The number of the quarter holding `day` (4 × year + quarter), the unit SQL compares "done" days in."""
    return day.year * 4 + (day.month - 1) // 3 + 1


def first_quarter_ending_after(day: date) -> int:
    """The first quarter whose last day is after `day`: a "done" at the end of it or later comes after `day`."""
    number = quarter_number(day)
    return number + 1 if day == quarter_end(day.year, (day.month - 1) // 3 + 1) else number


def period_bounds(kind: str, year: int, number: int) -> tuple[date, date]:
    """First and last day of a period; the last day is the "as of" date of its report (31.03, 30.06 …)."""
    if kind == PeriodKind.QUARTER:
        return date(year, number * 3 - 2, 1), quarter_end(year, number)
    if kind == PeriodKind.HALF_YEAR:
        return date(year, 1 if number == 1 else 7, 1), half_end(year, number)
    return date(year, 1, 1), date(year, 12, 31)


def period_reported(*, ends_on: date, in_force_on: date | None) -> bool:
    """Whether a period of the program's years is reported at all: only if the program was in force on at least
    one of its days. A quarter (half-year, year) during which the program came into force is reported — for the
    part in force, which is what its units did from that day — and the ones that ended before are not created,
    so nothing opens, is demanded, reminded or shown as overdue for them. The SQL form of this rule is
    `period.ends_on >= program.in_force_on OR program.in_force_on IS NULL`."""
    return in_force_on is None or ends_on >= in_force_on


def submission_due(ends_on: date, days: int) -> date:
    """Units report no later than `days` days after the period ends (15 by NAZK order № 134/23)."""
    return ends_on + timedelta(days=days)


def period_label(kind: str, year: int, number: int) -> str:
    if kind == PeriodKind.QUARTER:
        return _("%(numeral)s quarter of %(year)s") % {"numeral": roman(number), "year": year}
    if kind == PeriodKind.HALF_YEAR:
        return _("%(numeral)s half-year of %(year)s") % {"numeral": roman(number), "year": year}
    return _("%(year)s year") % {"year": year}


def period_in(kind: str, year: int, number: int) -> str:
    """The period as a report's sentence names it: «у 2023 році», «у І кварталі 2024 року», «у ІІ півріччі …»."""
    if kind == PeriodKind.QUARTER:
        return _("in the %(numeral)s quarter of %(year)s") % {"numeral": roman(number), "year": year}
    if kind == PeriodKind.HALF_YEAR:
        return _("in the %(numeral)s half-year of %(year)s") % {"numeral": roman(number), "year": year}
    return _("in %(year)s") % {"year": year}
