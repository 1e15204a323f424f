"""The one rule for "due in this period" and "overdue": every deadline kind × the period's position × when (or
whether) the measure was reported done.

Positions are quarters of a 2023–2025 program relative to the deadline: the quarter before it, the quarter holding
it, and the quarter after it. "Done" is given as the last days of the earlier periods that reported it done
(`done_on`) and whether this period reports it done (`done_now`).
"""

from datetime import date

import pytest

from core.periods import quarter_end
from measures.choices import DeadlineKind
from measures.deadlines import Deadline, Standing, standing

START, END = 2023, 2025
Q4_23, Q1, Q2, Q3, Q4 = (2023, 4), (2024, 1), (2024, 2), (2024, 3), (2024, 4)
NOT_DUE = Standing(due=False)


def end(quarter: tuple[int, int]) -> date:
    return quarter_end(*quarter)


def bounds(quarter: tuple[int, int]) -> tuple[date, date]:
    year, number = quarter
    return date(year, number * 3 - 2, 1), quarter_end(year, number)


def due(on: date, *, overdue: bool = False, carried: bool = False) -> Standing:
    return Standing(due=True, carried=carried, due_on=on, overdue_since=on if overdue else None)


BY_DATE = Deadline(DeadlineKind.DATE, on=date(2024, 3, 29))
IN_Q1 = Deadline(DeadlineKind.QUARTER, part=1, year=2024)
IN_H1 = Deadline(DeadlineKind.HALF_YEAR, part=1, year=2024)
IN_2024 = Deadline(DeadlineKind.YEAR, year=2024)
MAR29, MAR31, JUN30, DEC31 = date(2024, 3, 29), date(2024, 3, 31), date(2024, 6, 30), date(2024, 12, 31)

# (deadline, period, done_on, done_now, expected)
ONE_OFF = [
    # A date inside І quarter 2024.
    (BY_DATE, Q4_23, [], False, NOT_DUE),
    (BY_DATE, Q4_23, [], True, NOT_DUE),
    (BY_DATE, Q1, [], False, due(MAR29, overdue=True)),
    (BY_DATE, Q1, [], True, due(MAR29)),
    (BY_DATE, Q1, [end(Q4_23)], False, NOT_DUE),
    (BY_DATE, Q2, [], False, due(MAR29, overdue=True, carried=True)),
    (BY_DATE, Q2, [end(Q1)], False, NOT_DUE),
    (BY_DATE, Q2, [], True, due(MAR29, carried=True)),
    (BY_DATE, Q4, [], False, due(MAR29, overdue=True, carried=True)),
    (BY_DATE, Q4, [end(Q3)], False, NOT_DUE),
    # І quarter of 2024.
    (IN_Q1, Q4_23, [], False, NOT_DUE),
    (IN_Q1, Q1, [], False, due(MAR31, overdue=True)),
    (IN_Q1, Q1, [], True, due(MAR31)),
    (IN_Q1, Q1, [end(Q4_23)], False, NOT_DUE),
    (IN_Q1, Q2, [], False, due(MAR31, overdue=True, carried=True)),
    (IN_Q1, Q2, [end(Q1)], False, NOT_DUE),
    (IN_Q1, Q2, [], True, due(MAR31, carried=True)),
    # І half-year of 2024: due in the ІІ quarter.
    (IN_H1, Q1, [], False, NOT_DUE),
    (IN_H1, Q2, [], False, due(JUN30, overdue=True)),
    (IN_H1, Q2, [], True, due(JUN30)),
    (IN_H1, Q2, [end(Q1)], False, NOT_DUE),
    (IN_H1, Q3, [], False, due(JUN30, overdue=True, carried=True)),
    (IN_H1, Q3, [end(Q2)], False, NOT_DUE),
    (IN_H1, Q3, [], True, due(JUN30, carried=True)),
    # During 2024: due in the ІV quarter, carried into 2025.
    (IN_2024, Q3, [], False, NOT_DUE),
    (IN_2024, Q4, [], False, due(DEC31, overdue=True)),
    (IN_2024, Q4, [], True, due(DEC31)),
    (IN_2024, Q4, [end(Q2)], False, NOT_DUE),
    (IN_2024, (2025, 1), [], False, due(DEC31, overdue=True, carried=True)),
    (IN_2024, (2025, 1), [end(Q4)], False, NOT_DUE),
    (IN_2024, (2025, 1), [], True, due(DEC31, carried=True)),
]

EVERY_QUARTER = Deadline(DeadlineKind.EVERY_QUARTER)
EVERY_HALF = Deadline(DeadlineKind.EVERY_HALF_YEAR)
EVERY_YEAR = Deadline(DeadlineKind.EVERY_YEAR)
PROGRAM_YEARS = Deadline(DeadlineKind.PROGRAM_PERIOD)
DEC31_23 = date(2023, 12, 31)

# Recurring deadlines: each instance needs its own "done"; a missed one is carried until a later "done".
RECURRING = [
    (EVERY_QUARTER, Q1, [end(Q4_23)], False, due(MAR31, overdue=True)),
    (EVERY_QUARTER, Q1, [end(Q4_23)], True, due(MAR31)),
    # Done in the previous quarter does not answer for this quarter's instance.
    (EVERY_QUARTER, Q2, [end(Q1)], True, due(JUN30)),
    # A missed І quarter is still owed in the ІІ quarter, whose own instance is the one now passed.
    (EVERY_QUARTER, Q2, [], False, due(JUN30, overdue=True)),
    (EVERY_HALF, Q1, [end(Q4_23)], False, NOT_DUE),
    (EVERY_HALF, Q1, [], False, due(DEC31_23, overdue=True, carried=True)),
    # Done in the І quarter answers for the І half-year: nothing more is owed in the ІІ quarter.
    (EVERY_HALF, Q2, [end(Q1)], False, NOT_DUE),
    (EVERY_HALF, Q2, [end(Q4_23)], False, due(JUN30, overdue=True)),
    (EVERY_HALF, Q2, [end(Q4_23)], True, due(JUN30)),
    (EVERY_HALF, Q3, [end(Q2)], False, NOT_DUE),
    (EVERY_HALF, Q3, [end(Q4_23)], False, due(JUN30, overdue=True, carried=True)),
    (EVERY_YEAR, Q3, [end(Q4_23)], False, NOT_DUE),
    (EVERY_YEAR, Q4, [end(Q1)], False, NOT_DUE),
    (EVERY_YEAR, Q4, [end(Q4_23)], False, due(DEC31, overdue=True)),
    (EVERY_YEAR, Q4, [end(Q4_23)], True, due(DEC31)),
    (EVERY_YEAR, Q1, [], False, due(DEC31_23, overdue=True, carried=True)),
    (PROGRAM_YEARS, Q1, [end(Q4_23)], False, NOT_DUE),
    (PROGRAM_YEARS, Q4, [], False, due(DEC31, overdue=True)),
    (PROGRAM_YEARS, (2025, 1), [], True, due(DEC31, carried=True)),
]

# Continuous and event-relative measures are reported in every period and never fall overdue.
ALWAYS = [
    (deadline, quarter, done_on, done_now, Standing(due=True))
    for deadline in (
        Deadline(DeadlineKind.CONTINUOUS),
        Deadline(DeadlineKind.BEFORE_EVENT, days=10),
        Deadline(DeadlineKind.AFTER_EVENT, days=3),
    )
    for quarter, done_on, done_now in ((Q4_23, [], False), (Q1, [end(Q4_23)], False), (Q2, [], True))
]


@pytest.mark.parametrize(
    ("deadline", "quarter", "done_on", "done_now", "expected"),
    ONE_OFF + RECURRING + ALWAYS,
    ids=lambda value: value.kind if isinstance(value, Deadline) else None,
)
def test_standing_over_every_kind_position_and_time_of_done(deadline, quarter, done_on, done_now, expected):
    starts_on, ends_on = bounds(quarter)

    result = standing(
        deadline,
        starts_on=starts_on,
        ends_on=ends_on,
        start_year=START,
        end_year=END,
        done_on=done_on,
        done_now=done_now,
    )

    assert result == expected


@pytest.mark.parametrize(
    ("as_of", "overdue_since"),
    [
        (date(2024, 2, 15), None),  # mid-quarter: the date has not come yet
        (date(2024, 3, 29), None),  # the deadline day itself is not over
        (date(2024, 3, 30), MAR29),
        (date(2024, 11, 28), MAR29),
    ],
)
def test_a_deadline_is_overdue_only_once_its_day_is_over(as_of, overdue_since):
    starts_on, ends_on = bounds(Q1)

    result = standing(BY_DATE, starts_on=starts_on, ends_on=ends_on, start_year=START, end_year=END, as_of=as_of)

    assert result.due
    assert result.overdue_since == overdue_since


def test_done_reported_in_a_later_period_does_not_count_for_an_earlier_one():
    starts_on, ends_on = bounds(Q2)

    # Reported done only at the end of the ІІІ quarter: the ІІ quarter's report still owes it.
    result = standing(BY_DATE, starts_on=starts_on, ends_on=ends_on, start_year=START, end_year=END, done_on=[end(Q3)])

    assert result == due(MAR29, overdue=True, carried=True)
