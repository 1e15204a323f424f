"""A measure's standing in a reporting period, with what earlier periods said of it.

`measures.deadlines.standing_of` is the rule (due, carried over, overdue); this module reads what it needs from the
database in one query per program and period, and writes the status text the grid and the PDF print, so both say
«Не виконано … Строк минув 29.03.2024.» where a deadline was missed, and never «Строк не настав».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.periods import period_bounds, period_label
from measures.deadlines import EVERY_PERIOD_KINDS, Deadline, Standing, due_dates, standing_of
from reports.choices import ExecutionStatus
from reports.execution.models import ExecutionEntry, ReportingPeriod


@dataclass(frozen=True)
class Latest:
    """The last status a measure was given before a period, and in which period."""

    status: str
    period: str
    ends_on: date


@dataclass
class Earlier:
    """What the periods ending before a given day said of each measure of a program."""

    done_on: dict[int, list[date]] = field(default_factory=dict)
    latest: dict[int, Latest] = field(default_factory=dict)


def earlier_entries(*, program_id: int, before: date) -> Earlier:
    """Every measure's "done" days and latest status from the periods of the program that end before `before`.

    One query of plain values. Entries of measures a user may not see are read too: callers look up only the measures
    they were given by `restrict`.
    """
    rows = (
        ExecutionEntry.objects.filter(period__program_id=program_id, period__year__lte=before.year)
        .values_list("measure_id", "period__kind", "period__year", "period__number", "status")
        .order_by()
    )
    earlier = Earlier()
    for measure_id, kind, year, number, status in rows:
        ends_on = period_bounds(kind, year, number)[1]
        if ends_on >= before:
            continue
        if status == ExecutionStatus.DONE:
            earlier.done_on.setdefault(measure_id, []).append(ends_on)
        known = earlier.latest.get(measure_id)
        if known is None or ends_on > known.ends_on:
            earlier.latest[measure_id] = Latest(status=status, period=period_label(kind, year, number), ends_on=ends_on)
    return earlier


def as_of(period: ReportingPeriod, today: date | None = None) -> date:
    """The day a period's deadlines are judged on: the day after it ends, or today while it runs."""
    return min(today or timezone.localdate(), period.ends_on + timedelta(days=1))


def measure_standing(
    instances: Sequence[date],
    *,
    every_period: bool,
    period: ReportingPeriod,
    measure_id: int,
    earlier: Earlier,
    status_now: str | None,
    today: date | None = None,
) -> Standing:
    starts_on, ends_on = period.bounds
    return standing_of(
        instances,
        every_period=every_period,
        starts_on=starts_on,
        ends_on=ends_on,
        done_on=earlier.done_on.get(measure_id, ()),
        done_now=status_now == ExecutionStatus.DONE,
        as_of=as_of(period, today),
    )


def deadline_standing(
    deadline: Deadline,
    *,
    period: ReportingPeriod,
    measure_id: int,
    earlier: Earlier,
    status_now: str | None,
    today: date | None = None,
) -> Standing:
    """`measure_standing` of a measure's structured deadline (the grid and the documents)."""
    program = period.program
    return measure_standing(
        due_dates(deadline, program.start_year, program.end_year),
        every_period=deadline.kind in EVERY_PERIOD_KINDS,
        period=period,
        measure_id=measure_id,
        earlier=earlier,
        status_now=status_now,
        today=today,
    )


def overdue_note(standing: Standing) -> str:
    if not standing.overdue:
        return ""
    return _overdue_note(standing.overdue_since, get_language())


@lru_cache(maxsize=512)
def _overdue_note(day: date, language: str | None) -> str:
    """One translation and date format per day and language: a grid of 300 overdue measures shares a few days."""
    return _("The deadline passed on %(date)s.") % {"date": day.strftime("%d.%m.%Y")}


def status_text(*, sentence: str | None, standing: Standing, latest: Latest | None) -> str:
    """What the status column says of one measure in one period.

    An entry reads as its sentence; a missed deadline adds when it passed. Without an entry: a due measure has no
    information (and, overdue, its last status or «Не виконано»); a measure not due was either done earlier (its
    status and when) or its deadline has not come.
    """
    note = overdue_note(standing)
    if sentence is not None:
        return f"{sentence} {note}".strip()
    if standing.due:
        missing = str(_("No information submitted."))
        if not note:
            return missing
        label = ExecutionStatus(latest.status).label if latest else ExecutionStatus.NOT_DONE.label
        return f"{label}. {note} {missing}"
    if latest is not None and latest.status == ExecutionStatus.DONE:
        return f"{ExecutionStatus.DONE.label} ({latest.period})."
    return f"{ExecutionStatus.NOT_DUE.label}."
