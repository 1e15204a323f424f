"""Structured measure deadlines: when a measure is due and how the deadline reads in a report.

Pure functions with no ORM. Seed 001 writes deadlines as phrases ("І квартал", "Щопівроку", "Протягом року",
"Не пізніше 3 робочих днів з дня після (події)"); the portal keeps them structured so it knows when a measure is
due or overdue, and renders them back to the same phrase.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from core.periods import half_end, quarter_end, roman
from measures.choices import DeadlineKind

# Kinds that recur or depend on events: such a measure is reported in every period of the program.
EVERY_PERIOD_KINDS = frozenset({DeadlineKind.CONTINUOUS, DeadlineKind.BEFORE_EVENT, DeadlineKind.AFTER_EVENT})


@dataclass(frozen=True)
class Deadline:
    kind: str
    year: int | None = None
    part: int | None = None
    on: date | None = None
    days: int | None = None
    event: str = ""

    def validate(self) -> list[str]:
        """Problems a person can act on; an empty list means the deadline is complete."""
        errors = []
        if self.kind not in DeadlineKind.values:
            errors.append(_("Choose a kind of deadline."))
        if self.kind == DeadlineKind.DATE and self.on is None:
            errors.append(_("Enter the date of the deadline."))
        if self.kind == DeadlineKind.QUARTER and self.part not in (1, 2, 3, 4):
            errors.append(_("Choose the quarter (1 to 4)."))
        if self.kind == DeadlineKind.HALF_YEAR and self.part not in (1, 2):
            errors.append(_("Choose the half-year (1 or 2)."))
        if self.kind in (DeadlineKind.BEFORE_EVENT, DeadlineKind.AFTER_EVENT) and not (self.days and self.days > 0):
            errors.append(_("Enter the number of working days (at least 1)."))
        return errors


def due_dates(deadline: Deadline, start_year: int, end_year: int) -> list[date]:
    """Every date by which the measure must be done within the program years, in order.

    Event-driven and continuous measures have no fixed due date: they are reported in every period instead.
    """
    years = [deadline.year] if deadline.year else list(range(start_year, end_year + 1))
    kind = deadline.kind
    if kind == DeadlineKind.DATE:
        return [deadline.on] if deadline.on else []
    if kind == DeadlineKind.QUARTER:
        return [quarter_end(year, deadline.part) for year in years]
    if kind == DeadlineKind.HALF_YEAR:
        return [half_end(year, deadline.part) for year in years]
    if kind in (DeadlineKind.YEAR, DeadlineKind.EVERY_YEAR, DeadlineKind.PROGRAM_PERIOD):
        return [date(year, 12, 31) for year in years]
    if kind == DeadlineKind.EVERY_QUARTER:
        return [quarter_end(year, quarter) for year in years for quarter in (1, 2, 3, 4)]
    if kind == DeadlineKind.EVERY_HALF_YEAR:
        return [half_end(year, half) for year in years for half in (1, 2)]
    return []


def is_due_in(deadline: Deadline, starts_on: date, ends_on: date, start_year: int, end_year: int) -> bool:
    """Whether the measure must be reported for the period [starts_on, ends_on]."""
    if deadline.kind in EVERY_PERIOD_KINDS:
        return True
    return any(starts_on <= due <= ends_on for due in due_dates(deadline, start_year, end_year))


@dataclass(frozen=True)
class Standing:
    """Where a measure stands in one reporting period: the one rule behind the grid, the PDF, the API and the
    dashboard."""

    due: bool
    # Due only because an earlier deadline passed without the measure being reported done.
    carried: bool = False
    # The deadline the period answers for: the missed one when carried, else the first one inside the period.
    due_on: date | None = None
    # The latest deadline that has passed (before `as_of`) with the measure not reported done.
    overdue_since: date | None = None

    @property
    def overdue(self) -> bool:
        return self.overdue_since is not None


def standing(deadline: Deadline, *, starts_on: date, ends_on: date, start_year: int, end_year: int, **done) -> Standing:
    """A measure's standing in the period [starts_on, ends_on]; see `standing_of` for `done_on`, `done_now`, `as_of`."""
    return standing_of(
        due_dates(deadline, start_year, end_year),
        every_period=deadline.kind in EVERY_PERIOD_KINDS,
        starts_on=starts_on,
        ends_on=ends_on,
        **done,
    )


def standing_of(
    instances: Sequence[date],
    *,
    every_period: bool,
    starts_on: date,
    ends_on: date,
    done_on: Iterable[date] = (),
    done_now: bool = False,
    as_of: date | None = None,
) -> Standing:
    """The standing of a measure whose deadline falls on `instances` (its `due_dates`, in order).

    `done_on` holds the last days of the earlier periods (ending before `starts_on`) in which the measure was reported
    done; `done_now` says whether it is reported done in this period. A deadline counts as met by a "done" reported
    after the deadline before it (so a one-off measure done early is met, and each instance of a recurring one needs
    its own). A deadline that passed unmet keeps the measure due — and overdue — in every later period until it is
    reported done. `as_of` is the day the question is asked: a deadline is overdue once it is before that day
    (by default the day after the period, i.e. the report's "as of" date).
    """
    if every_period:
        return Standing(due=True)
    as_of = as_of or ends_on + timedelta(days=1)
    done = [day for day in done_on if day < starts_on]

    def met_before_period(index: int) -> bool:
        previous = instances[index - 1] if index else None
        return any(previous is None or day > previous for day in done)

    inside = [i for i, day in enumerate(instances) if starts_on <= day <= ends_on and not met_before_period(i)]
    earlier = [i for i, day in enumerate(instances) if day < starts_on]
    missed = earlier[-1] if earlier and not met_before_period(earlier[-1]) else None
    if not inside and missed is None:
        return Standing(due=False)
    owed = inside if missed is None else [missed, *inside]
    passed = [instances[i] for i in owed if instances[i] < as_of]
    return Standing(
        due=True,
        carried=not inside,
        due_on=instances[inside[0] if inside else missed],
        overdue_since=None if done_now or not passed else passed[-1],
    )


def phrase(deadline: Deadline, start_year: int | None = None, end_year: int | None = None) -> str:
    """The deadline as a report writes it, in the active language ("І квартал", "Щопівроку" …)."""
    kind = deadline.kind
    if kind == DeadlineKind.DATE and deadline.on:
        return _("by %(date)s") % {"date": deadline.on.strftime("%d.%m.%Y")}
    if kind == DeadlineKind.QUARTER:
        numeral = roman(deadline.part or 0)
        if deadline.year:
            return _("%(numeral)s quarter of %(year)s") % {"numeral": numeral, "year": deadline.year}
        return _("%(numeral)s quarter") % {"numeral": numeral}
    if kind == DeadlineKind.HALF_YEAR:
        numeral = roman(deadline.part or 0)
        if deadline.year:
            return _("%(numeral)s half-year of %(year)s") % {"numeral": numeral, "year": deadline.year}
        return _("%(numeral)s half-year") % {"numeral": numeral}
    if kind == DeadlineKind.YEAR:
        if deadline.year:
            return _("During %(year)s") % {"year": deadline.year}
        return _("During the year")
    if kind == DeadlineKind.EVERY_QUARTER:
        return _("Every quarter")
    if kind == DeadlineKind.EVERY_HALF_YEAR:
        return _("Every half-year")
    if kind == DeadlineKind.EVERY_YEAR:
        return _("Every year")
    if kind == DeadlineKind.PROGRAM_PERIOD:
        if start_year and end_year:
            return _("January–December %(start)s–%(end)s") % {"start": start_year, "end": end_year}
        return _("January–December")
    if kind == DeadlineKind.CONTINUOUS:
        return _("Continuously")
    if kind == DeadlineKind.BEFORE_EVENT:
        return _("Within %(days)s working days before the event") % {"days": deadline.days}
    if kind == DeadlineKind.AFTER_EVENT:
        return _("No later than %(days)s working days from the day after the event") % {"days": deadline.days}
    return ""


# --- the same rule, as SQL can evaluate it -------------------------------------------------------------------------
# `standing_of` needs, of a measure's reports, only the last "done" before the period (a "done" answers for an
# instance when it comes after the instance before it, and only the latest one can come after the most). What it
# needs of the deadline and the period can be worked out once per distinct deadline; `measures.deadlines_sql`
# combines these facts with each measure's last "done" in SQL. Every "done" falls on a period's last day, which is
# a quarter's last day, so SQL counts in quarters: quarter q of year y is number 4 * y + q.


@dataclass(frozen=True)
class PeriodFacts:
    """What a deadline's instances say of one period whatever the measure's reports: the inputs of `standing_of`
    that depend on the deadline, the period and the day only."""

    every_period: bool
    inside: int = 0  # instances within the period
    first: date | None = None  # the first of them
    latest_passed: date | None = None  # the latest of them before `as_of`
    last_before: date | None = None  # the latest instance before the period
    before_that: date | None = None  # the instance before that one
    as_of: date | None = None


def period_facts(
    instances: Sequence[date], *, every_period: bool, starts_on: date, ends_on: date, as_of: date | None = None
) -> PeriodFacts:
    if every_period:
        return PeriodFacts(every_period=True)
    as_of = as_of or ends_on + timedelta(days=1)
    inside = [day for day in instances if starts_on <= day <= ends_on]
    before = [day for day in instances if day < starts_on]
    return PeriodFacts(
        every_period=False,
        inside=len(inside),
        first=inside[0] if inside else None,
        latest_passed=max((day for day in inside if day < as_of), default=None),
        last_before=before[-1] if before else None,
        before_that=before[-2] if len(before) > 1 else None,
        as_of=as_of,
    )
