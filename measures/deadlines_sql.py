"""The SQL twin of `measures.deadlines.standing_of`: due and overdue as SQL over a measure's last "done".

`standing_of` stays the rule; this module restates it for the database so that counts (by status, unit, section,
organisation) need no measure in Python. What depends only on the deadline, the period and the day is worked out
once per distinct deadline in Python (`period_facts`, from the same `due_dates`); the database combines it with each
measure's last "done" before the period (a quarter number, NULL if none) and whether the measure is reported done
in the period. tests/measures/test_standing_sql.py runs both over the table of tests/measures/test_standing.py and
requires the same answers.

With D the last "done" before the period, L the latest instance before the period and P the one before L:
- the first instance inside the period is met when D exists and comes after L (any D when there is no L);
- L is missed unless D exists and comes after P (any D when there is no P);
- the measure is due when it is reported in every period, when two instances fall inside the period, when one
  does and is not met, or when L is missed;
- unless reported done now, it is overdue since the latest owed instance before the day the question is asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.periods import first_quarter_ending_after
from measures.deadlines import PeriodFacts

# The facts as columns, in the order `fact_values` gives them.
FACT_COLUMNS = (
    "every_period",
    "inside",
    "first_day",
    "latest_passed",
    "first_met_from",
    "missed_unless_from",
    "last_before",
    "last_before_passed",
)


def fact_values(facts: PeriodFacts) -> tuple:
    """A deadline's facts as SQL compares them: days as dates, "comes after" as the first quarter that does."""
    return (
        facts.every_period,
        facts.inside,
        facts.first,
        facts.latest_passed,
        0 if facts.last_before is None else first_quarter_ending_after(facts.last_before),
        None
        if facts.last_before is None
        else 0
        if facts.before_that is None
        else first_quarter_ending_after(facts.before_that),
        facts.last_before,
        facts.last_before is not None and facts.as_of is not None and facts.last_before < facts.as_of,
    )


# Their SQL types: a column whose every value is NULL has none, and PostgreSQL would not compare it.
FACT_TYPES = ("boolean", "integer", "date", "date", "integer", "integer", "date", "boolean")


def facts_columns(groups: Sequence[PeriodFacts], *, group: str, typed_dates: bool = True) -> tuple[str, list]:
    """Select-list items giving each row the facts of its group (`group` is an SQL expression: the index of the
    row's facts in `groups`). `typed_dates`: cast dates (not on SQLite, which keeps dates as text and would cast
    them to numbers)."""
    items, params = [], []
    values = [fact_values(facts) for facts in groups]
    for position, (column, sql_type) in enumerate(zip(FACT_COLUMNS, FACT_TYPES, strict=True)):
        whens = " ".join(f"WHEN {index} THEN %s" for index in range(len(groups)))
        value = f"CASE {group} {whens} END" if groups else "NULL"
        if sql_type != "date" or typed_dates:
            value = f"CAST({value} AS {sql_type})"
        items.append(f"{value} AS {column}")
        params += [row[position] for row in values]
    return ", ".join(items), params


# Given the columns above and `last_done`: whether the first instance inside the period is met, and whether the
# latest instance before the period is missed.
FIRST_MET = "(last_done IS NOT NULL AND last_done >= first_met_from)"
MISSED = "(missed_unless_from IS NOT NULL AND (last_done IS NULL OR last_done < missed_unless_from))"


def standing_columns(*, done_now: str) -> str:
    """Select-list items `due` and `overdue_since`, over the columns `first_met` and `missed` (FIRST_MET, MISSED,
    selected one level below) and the facts; `done_now` is an SQL condition: reported done in the period."""
    return (
        f"(every_period OR inside > 1 OR (inside = 1 AND NOT first_met) OR missed) AS due, "
        f"CASE WHEN every_period OR {done_now} THEN NULL "
        f"WHEN latest_passed IS NOT NULL AND (latest_passed <> first_day OR NOT first_met) THEN latest_passed "
        f"WHEN missed AND last_before_passed THEN last_before ELSE NULL END AS overdue_since"
    )
