"""Where a program stands in a period, and its trend: counts grouped by the database, never measure by measure.

`placed_measures` gives each measure its status and due-ness in SQL; this module asks for them grouped (by section
and risk level, by unit) and for the overdue measures only, so a program of any size costs the same few queries and
Python adds up a few dozen rows. All measures come through `restrict`: a user sees only the numbers of what they
may see.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Action, sees_every_row
from core.periods import PeriodKind
from measures.models import Measure
from programs.models import Program, Unit
from reports.dashboard.common import (
    NO_RISK,
    STATUS_ORDER,
    Counts,
    dashboard_periods,
    program_ref,
    status_label,
    status_labels,
)
from reports.dashboard.placed import PeriodSpan, as_date, distinct_deadlines, fetch, placed_cte
from reports.execution.models import ReportingPeriod
from risks.models import MatrixCell, Risk, RiskLevel, name_column


def _visible_measures(*, user, program: Program, unit: Unit | None) -> QuerySet[Measure] | None:
    """The program's measures `user` sees (of `unit` only, when given); None when that is every measure of the
    program, which `placed_cte` then reads without repeating the access rule."""
    if unit is None and sees_every_row(user, Action.VIEW, Measure, program.organisation_id):
        return None
    measures = Measure.objects.restrict(user, Action.VIEW).filter(task__section__program=program)
    if unit is not None:
        measures = measures.filter(pk__in=Measure.responsible_units.through.objects.filter(unit=unit).values("measure"))
    return measures


def _levels(program: Program) -> dict[int, dict]:
    """Rank → level of the program's matrix; the Ukrainian name stands in where the language has none."""
    rows = RiskLevel.objects.filter(matrix=program.risk_matrix_id).values_list(
        "code", "rank", name_column(), "name_uk", "colour"
    )
    return {
        rank: {"code": code, "rank": rank, "label": label or label_uk, "colour": colour}
        for code, rank, label, label_uk, colour in rows.order_by()
    }


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "links": quote(Measure.responsible_units.through._meta.db_table),
        "unit": quote(Unit._meta.db_table),
        "treats": quote(Measure.risks.through._meta.db_table),
        "risk": quote(Risk._meta.db_table),
        "cell": quote(MatrixCell._meta.db_table),
        "level": quote(RiskLevel._meta.db_table),
    }


# One statement, three kinds of rows over the same `placed` (computed once): counts by section and by the highest
# inherent risk level among the program's risks a measure treats (0: none), counts by unit, and the overdue measures.
# (kind, id, n1, n2, n3, t1, t2, status, due, submitted, count, day)
SUMMARY = """
    SELECT 'section', placed.section_id, placed.section_number, COALESCE(top.rank, 0), CAST(NULL AS integer),
           placed.section_title, placed.section_title,
           placed.status, placed.due, placed.submitted, COUNT(*), CAST(NULL AS date)
    FROM placed
    LEFT JOIN (
        SELECT mr.measure_id, MAX(l.rank) AS rank
        FROM {treats} mr JOIN {risk} r ON r.id = mr.risk_id
        JOIN {cell} c ON c.probability_id = r.inherent_probability_id AND c.consequence_id = r.inherent_consequence_id
        JOIN {level} l ON l.id = c.level_id
        WHERE r.program_id = %s GROUP BY mr.measure_id
    ) top ON top.measure_id = placed.id
    GROUP BY placed.section_id, placed.section_number, placed.section_title, COALESCE(top.rank, 0), placed.status,
             placed.due, placed.submitted
    UNION ALL
    SELECT 'unit', u.id, NULL, NULL, NULL, u.abbreviation, u.name,
           placed.status, placed.due, placed.submitted, COUNT(*), NULL
    FROM placed JOIN {links} ru ON ru.measure_id = placed.id JOIN {unit} u ON u.id = ru.unit_id
    WHERE u.organisation_id = %s
    GROUP BY u.id, u.abbreviation, u.name, placed.status, placed.due, placed.submitted
    UNION ALL
    SELECT 'overdue', placed.id, placed.measure_number, placed.task_number, placed.section_number, placed.content,
           placed.content, placed.status, placed.due, placed.submitted, 1, placed.overdue_since
    FROM placed
    WHERE placed.overdue_since IS NOT NULL
"""
BY_STATUS = "SELECT placed.status, placed.due, COUNT(*) FROM placed GROUP BY placed.status, placed.due"


def _overdue(rows: list[tuple], program: Program, period_start: date) -> list[dict]:
    """Measures whose deadline has passed and that are not done, including deadlines missed in earlier periods:
    what the commission asks about."""
    labels = status_labels()
    # The detail page is "<measure list>/<pk>/": one reverse() for the list instead of one per overdue measure.
    measures_url = reverse("measures:list", kwargs={"program_pk": program.pk})
    found = []
    for pk, number, content, task_number, section_number, since, status in rows:
        since = as_date(since)
        label = f"{section_number}.{task_number}. {number})" if number else f"{section_number}.{task_number}."
        found.append(
            {
                "measure": pk,
                "label": label,
                "content": content,
                "due_on": since,
                "carried_over": since < period_start,
                "status": status,
                "status_label": labels[status],
                "url": f"{measures_url}{pk}/",
            }
        )
    return sorted(found, key=lambda row: (row["due_on"], row["label"]))


def program_summary(
    *, user, program: Program, period: ReportingPeriod, unit: Unit | None = None, today: date | None = None
) -> dict:
    """Counts by status, unit, section and risk level, the share done, overdue measures and units that lag: one
    statement over `placed`, whatever the size of the program."""
    today = today or timezone.localdate()
    measures = _visible_measures(user=user, program=program, unit=unit)
    span = PeriodSpan(period.kind, period.year, period.number)
    placed, params = placed_cte(
        measures, span=span, period_ids=[period.pk], program_ids=[program.pk], today=today, details=True
    )
    tables = _tables()

    total = Counts()
    by_section: dict[int, Counts] = defaultdict(Counts)
    by_level: dict[int, Counts] = defaultdict(Counts)
    by_unit: dict[int, Counts] = defaultdict(Counts)
    sections: dict[int, tuple[int, str]] = {}
    units: dict[int, tuple[str, str]] = {}
    overdue = []
    rows = fetch(placed + SUMMARY.format(**tables), [*params, program.pk, program.organisation_id])
    for kind, pk, n1, n2, n3, t1, t2, status, due, submitted, count, day in rows:
        values = {"status": status, "due": bool(due), "submitted": bool(submitted), "count": count}
        if kind == "section":
            total.add(**values)
            by_section[pk].add(**values)
            by_level[n2].add(**values)
            sections[pk] = (n1, t1)
        elif kind == "unit":
            by_unit[pk].add(**values)
            units[pk] = (t1, t2)
        else:
            overdue.append((pk, n1, t1, n2, n3, day, status))

    levels = _levels(program) if by_level.keys() - {0} else {}

    def level_bucket(rank: int) -> dict:
        level = levels.get(rank)
        if level is None:
            level = {"code": NO_RISK, "rank": 0, "label": str(_("Treats no risk")), "colour": "#9e9e9e"}
        return {"level": level["code"], "label": level["label"], "colour": level["colour"], **by_level[rank].as_dict()}

    not_submitted = [
        {
            "unit": unit_id,
            "abbreviation": units[unit_id][0],
            "name": units[unit_id][1],
            "due": counts.due,
            "submitted": counts.submitted,
            "outstanding": counts.due - counts.submitted,
        }
        for unit_id, counts in by_unit.items()
        if counts.due > counts.submitted
    ]
    return {
        "program": program_ref(program),
        "period": {"id": period.pk, "label": str(period), "starts_on": period.starts_on, "ends_on": period.ends_on},
        "unit": unit.pk if unit else None,
        "as_of": today,
        **total.as_dict(),
        "status_labels": status_labels(),
        "by_unit": [
            {"unit": pk, "abbreviation": units[pk][0], "name": units[pk][1], **by_unit[pk].as_dict()}
            for pk in sorted(by_unit, key=lambda pk: units[pk][0])
        ],
        "by_section": [
            {"section": pk, "number": sections[pk][0], "title": sections[pk][1], **by_section[pk].as_dict()}
            for pk in sorted(by_section, key=lambda pk: sections[pk][0])
        ],
        "by_risk_level": [level_bucket(rank) for rank in sorted(by_level, reverse=True)],
        "overdue": _overdue(overdue, program, period.starts_on),
        "units_not_submitted": sorted(not_submitted, key=lambda item: item["abbreviation"]),
    }


def program_trend(*, user, program: Program, kind: str = PeriodKind.QUARTER, unit: Unit | None = None) -> dict:
    """The status counts and the share done of every period of one kind, oldest first: one grouped query a period."""
    periods = list(dashboard_periods(user=user, program=program).filter(kind=kind).order_by("year", "number"))
    measures = _visible_measures(user=user, program=program, unit=unit)
    deadlines = distinct_deadlines(measures, [program.pk]) if periods else []
    points = []
    for period in periods:
        span = PeriodSpan(period.kind, period.year, period.number)
        placed, params = placed_cte(
            measures, span=span, period_ids=[period.pk], program_ids=[program.pk], deadlines=deadlines
        )
        counts = Counts()
        for status, due, count in fetch(placed + BY_STATUS, params):
            counts.add(status=status, due=bool(due), count=count)
        points.append({"period": period.pk, "label": str(period), "ends_on": period.ends_on, **counts.as_dict()})
    return {
        "program": program_ref(program),
        "kind": kind,
        "status_labels": {status: status_label(status) for status in STATUS_ORDER},
        "points": points,
    }
