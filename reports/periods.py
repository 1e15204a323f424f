"""Reporting-period arithmetic, free of the ORM."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from measures.deadlines import half_end, quarter_end, roman

from .choices import PeriodKind


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
