"""Each measure's standing in a period, worked out by the database: the rows every dashboard count groups.

`placed_cte` writes SQL naming a table `placed` — one row per measure the caller's queryset selects, with its
program, section, status (an ExecutionStatus, or MISSING), `due`, `submitted` and `overdue_since` in the period —
for a query to group. The status shown is the measure's entry in the period, or for a half-year or a year without
one, the latest quarter's within it. Due-ness and "overdue since" are `measures.deadlines.standing_of` restated in
SQL (`measures.deadlines_sql`): the facts of each distinct deadline are worked out once in Python, the rest per
measure by the database, so no measure and no entry is read into Python to be counted.

Raw SQL, not the ORM: the rule reads each measure's last "done" several times, and the ORM would repeat (and
compile) that subquery at every mention; a chain of WITH tables computes it once. It runs on PostgreSQL and SQLite.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from core.periods import PeriodKind, period_bounds, quarter_number
from measures.deadlines import EVERY_PERIOD_KINDS, Deadline, PeriodFacts, due_dates, period_facts
from measures.deadlines_sql import FIRST_MET, MISSED, facts_columns, standing_columns
from measures.models import Measure, MeasureSection, Task
from programs.models import Program
from reports.choices import EntryState, ExecutionStatus
from reports.execution.grid import quarters_in
from reports.execution.models import ExecutionEntry, ReportingPeriod

MISSING = "missing"
DEADLINE_VALUES = ("deadline_kind", "deadline_year", "deadline_part", "deadline_date")
YEARS = ("task__section__program__start_year", "task__section__program__end_year")
KEY_COLUMNS = ("kind", "year", "part", "on_date", "start_year", "end_year")


@dataclass(frozen=True)
class PeriodSpan:
    """One kind, year and number of period, which every program in a comparison reads alike."""

    kind: str
    year: int
    number: int

    @property
    def bounds(self) -> tuple[date, date]:
        return period_bounds(self.kind, self.year, self.number)


def as_of(span: PeriodSpan, today: date | None = None) -> date:
    """The day deadlines are judged on: the day after the period, or today while it runs
    (`reports.execution.standing.as_of`)."""
    return min(today or timezone.localdate(), span.bounds[1] + timedelta(days=1))


def distinct_deadlines(measures: QuerySet[Measure] | None, program_ids: list[int]) -> list[tuple]:
    """The distinct deadlines of the measures (None: of every measure of the programs), each with its program's
    years: one small query, read once for every period a caller asks about (a program has hundreds of measures but
    few deadlines)."""
    if measures is None:
        measures = Measure.objects.filter(task__section__program__in=program_ids)
    return list(measures.values_list(*DEADLINE_VALUES, *YEARS).distinct().order_by())


def _facts_groups(deadlines: list[tuple], span: PeriodSpan, today: date | None) -> tuple[str, list, list[PeriodFacts]]:
    """An SQL CASE giving each measure row the index of its deadline's facts, its parameters, and the facts."""
    starts_on, ends_on = span.bounds
    day = as_of(span, today)
    keys_by_facts: dict[PeriodFacts, list[tuple]] = defaultdict(list)
    for key in deadlines:
        kind, year, part, on, start_year, end_year = key
        facts = period_facts(
            due_dates(Deadline(kind=kind, year=year, part=part, on=on), start_year, end_year),
            every_period=kind in EVERY_PERIOD_KINDS,
            starts_on=starts_on,
            ends_on=ends_on,
            as_of=day,
        )
        keys_by_facts[facts].append(key)
    whens, params = [], []
    for index, keys in enumerate(keys_by_facts.values()):
        matches = []
        for key in keys:
            parts = []
            for column, value in zip(KEY_COLUMNS, key, strict=True):
                if value is None:
                    parts.append(f"{column} IS NULL")
                else:
                    parts.append(f"{column} = %s")
                    params.append(value)
            matches.append("(" + " AND ".join(parts) + ")")
        whens.append(f"WHEN {' OR '.join(matches)} THEN {index}")
    case = f"CASE {' '.join(whens)} END" if whens else "NULL"
    return case, params, list(keys_by_facts)


def _end_quarter(alias: str) -> str:
    """The quarter number (4 × year + quarter) of the last day of the period `alias`."""
    return (
        f"({alias}.year * 4 + CASE WHEN {alias}.kind = '{PeriodKind.QUARTER}' THEN {alias}.number "
        f"WHEN {alias}.kind = '{PeriodKind.HALF_YEAR}' THEN {alias}.number * 2 ELSE 4 END)"
    )


def placed_cte(
    measures: QuerySet[Measure] | None,
    *,
    span: PeriodSpan,
    period_ids: list[int],
    program_ids: list[int],
    deadlines: list[tuple] | None = None,
    today: date | None = None,
    details: bool = False,
) -> tuple[str, list]:
    """`WITH … placed AS (…)` for the measures of `measures` in the period of `span` (`period_ids`: that period of
    each of the measures' programs, `program_ids`: those programs), and its parameters; `deadlines` are the
    measures' `distinct_deadlines`, read here when not given. `measures` None: every measure of the programs, for a
    caller who may see them all. `details` adds what a list of measures prints (`measure_number`, `content`,
    `task_number`, `section_number`, `section_title`), read with the rows instead of joined again.

    The programs are named to the database as well as the measures' queryset: from `m.id IN (<queryset>)` alone,
    PostgreSQL joined every measure of the portal to its task, section, program and entries before keeping the
    queryset's (30,000 rows for a program of 300, 14 ms a quarter of the trend at 100 bodies); by program it reads
    the program's measures through the indexes. Without the queryset (a reader of the whole program) the database
    plans a statement with four tables and a list of the user's organisations fewer."""
    quote = connection.ops.quote_name
    measure, task, section, program = (
        quote(model._meta.db_table) for model in (Measure, Task, MeasureSection, Program)
    )
    entry, period = quote(ExecutionEntry._meta.db_table), quote(ReportingPeriod._meta.db_table)
    scoped, scoped_params = "", []
    if measures is not None:
        scoped_sql, scoped_params = measures.values("pk").order_by().query.sql_with_params()
        scoped = f"AND m.id IN ({scoped_sql})"
    if deadlines is None:
        deadlines = distinct_deadlines(measures, program_ids)
    group, group_params, groups = _facts_groups(deadlines, span, today)
    facts_sql, facts_params = facts_columns(groups, group="fg", typed_dates=connection.vendor != "sqlite")
    # Each measure's last "done" comes from one grouped pass over the programs' "done" entries, not a lookup per
    # measure; and the rows are computed once (PostgreSQL would otherwise inline the WITH tables at every mention).
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    periods_in = ", ".join(["%s"] * len(period_ids)) or "NULL"
    programs_in = ", ".join(["%s"] * len(program_ids)) or "NULL"
    detail_columns = detail_names = ""
    if details:
        detail_columns = (
            ", m.number AS measure_number, m.content, t.number AS task_number, s.number AS section_number, "
            "s.title AS section_title"
        )
        detail_names = ", measure_number, content, task_number, section_number, section_title"
    quarters = quarters_in(span)
    rollup, rollup_params = "NULL", []
    if quarters:
        rollup = (
            f"(SELECT q.status FROM {entry} q JOIN {period} qp ON qp.id = q.period_id "
            f"WHERE q.measure_id = m.id AND qp.kind = %s AND qp.year = %s "
            f"AND qp.number IN ({', '.join(['%s'] * len(quarters))}) ORDER BY qp.number DESC LIMIT 1)"
        )
        rollup_params = [PeriodKind.QUARTER, span.year, *quarters]
    sql = f"""
        WITH measure_rows AS (
            SELECT m.id, s.id AS section_id, s.program_id, m.deadline_kind AS kind, m.deadline_year AS year,
                   m.deadline_part AS part, m.deadline_date AS on_date, p.start_year, p.end_year,
                   own.state AS own_state, COALESCE(own.status, {rollup}) AS shown, done.last_done{detail_columns}
            FROM {measure} m JOIN {task} t ON t.id = m.task_id JOIN {section} s ON s.id = t.section_id
            JOIN {program} p ON p.id = s.program_id
            LEFT JOIN {entry} own ON own.measure_id = m.id AND own.period_id IN ({periods_in})
            LEFT JOIN (
                SELECT d.measure_id, MAX({_end_quarter("dp")}) AS last_done
                FROM {entry} d JOIN {period} dp ON dp.id = d.period_id
                WHERE d.status = %s AND {_end_quarter("dp")} < %s
                  AND dp.program_id IN ({programs_in})
                GROUP BY d.measure_id
            ) done ON done.measure_id = m.id
            WHERE s.program_id IN ({programs_in}) {scoped}
        ),
        grouped AS (SELECT measure_rows.*, {group} AS fg FROM measure_rows),
        facts AS {materialized} (SELECT grouped.*, {facts_sql} FROM grouped),
        judged AS (SELECT facts.*, {FIRST_MET} AS first_met, {MISSED} AS missed FROM facts),
        standing AS (SELECT judged.*, {standing_columns(done_now="shown = %s")} FROM judged),
        placed AS (
            SELECT id, section_id, program_id, due, overdue_since{detail_names},
                   COALESCE(shown, CASE WHEN due THEN %s ELSE %s END) AS status,
                   CASE WHEN own_state = %s THEN 1 ELSE 0 END AS submitted
            FROM standing
        )"""
    params = [
        *rollup_params,
        *period_ids,
        ExecutionStatus.DONE,
        quarter_number(span.bounds[0]),
        *program_ids,
        *program_ids,
        *scoped_params,
        *group_params,
        *facts_params,
        ExecutionStatus.DONE,
        MISSING,
        ExecutionStatus.NOT_DUE,
        EntryState.SUBMITTED,
    ]
    return sql, params


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_date(value) -> date | None:
    """SQLite hands dates back as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value
