"""Dashboard aggregates: where a program stands in a period, its trend, the risk heat map, whistleblower numbers.

Every selector reads a fixed number of queries whatever the size of the program: rows come back as plain values
(one query per kind of row) and are counted in Python. Due-ness is computed from each measure's structured
deadline (`measures.deadlines`), exactly as the period grid does, so the dashboard and the grid never disagree.
All rows come through `restrict`, so a user sees only the numbers of what they may see.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.deadlines import EVERY_PERIOD_KINDS, Deadline, due_dates
from measures.models import Measure
from programs.access import Action, user_organisation_ids
from programs.choices import ProgramStatus, Role
from programs.models import Organisation, Program, Unit
from programs.workdays import working_days_between
from risks.models import ConsequenceLevel, MatrixCell, ProbabilityLevel, Risk, name_column

from .choices import EntryState, ExecutionStatus, PeriodKind
from .grid import quarters_in
from .models import PERIOD_READING_ORDER, ExecutionEntry, ReportingPeriod
from .periods import period_bounds
from .standing import Earlier, measure_standing

MISSING = "missing"
NO_RISK = "none"
# The order of the donut, the stacked bars and the tables: finished work first, then what still needs attention.
STATUS_ORDER = (
    ExecutionStatus.DONE,
    ExecutionStatus.PARTIALLY_DONE,
    ExecutionStatus.IN_PROGRESS,
    ExecutionStatus.NOT_STARTED,
    ExecutionStatus.NOT_DONE,
    MISSING,
    ExecutionStatus.NOT_DUE,
)
# Roles that see anonymised whistleblower numbers (the same as `whistleblowers.selectors.anonymised_counts`).
WHISTLEBLOWER_STATS_ROLES = frozenset({Role.MANAGER, Role.SECRETARY, Role.OFFICER, Role.ADMIN})
ACTIVE_PROGRAM_STATUSES = (ProgramStatus.IN_FORCE, ProgramStatus.UNDER_REVISION, ProgramStatus.AGREED)


def status_label(status: str) -> str:
    if status == MISSING:
        return str(_("Due, not reported"))
    return str(ExecutionStatus(status).label)


def program_ref(program: Program) -> dict:
    return {"id": program.pk, "title": program.title, "organisation": program.organisation_id}


def empty_status_counts() -> dict[str, int]:
    return dict.fromkeys(STATUS_ORDER, 0)


# --- choices for the filters ---------------------------------------------------------------------------------------


def dashboard_programs(*, user) -> QuerySet[Program]:
    return Program.objects.restrict(user, Action.VIEW).select_related("organisation").order_by("-start_year", "title")


def dashboard_periods(*, user, program: Program) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.restrict(user, Action.VIEW).filter(program=program).order_by(*PERIOD_READING_ORDER)


def dashboard_units(*, user, program: Program) -> QuerySet[Unit]:
    return Unit.objects.restrict(user, Action.VIEW).filter(organisation=program.organisation_id)


def default_period(periods: list[ReportingPeriod], *, today: date | None = None) -> ReportingPeriod | None:
    """The latest quarter that has already begun: the one a commission meeting talks about."""
    today = today or timezone.localdate()
    quarters = [p for p in periods if p.kind == PeriodKind.QUARTER]
    started = [p for p in quarters if p.starts_on <= today]
    if started:
        return max(started, key=lambda p: (p.year, p.number))
    return (quarters or periods or [None])[0]


# --- measures of a program with their status in a period -----------------------------------------------------------


@dataclass(slots=True)
class MeasureState:
    pk: int
    label: str
    content: str
    section: int
    due_dates: list[date]
    every_period: bool
    units: list[int] = field(default_factory=list)
    risk_rank: int = 0


@dataclass(frozen=True)
class EntryValue:
    status: str
    submitted: bool


@dataclass
class ProgramRows:
    """The measures of a program the user may see, with units, sections and risk levels: three queries."""

    program: Program
    measures: list[MeasureState]
    sections: dict[int, tuple[int, str]]
    units: dict[int, tuple[str, str]]
    levels: dict[int, dict]


def _visible_measures(*, user, program: Program, unit: Unit | None) -> QuerySet[Measure]:
    measures = Measure.objects.restrict(user, Action.VIEW).filter(task__section__program=program)
    if unit is not None:
        measures = measures.filter(pk__in=Measure.responsible_units.through.objects.filter(unit=unit).values("measure"))
    return measures


def _level(code: str, rank: int, label: str, label_uk: str, colour: str) -> dict:
    """A risk level as the dashboard shows it; the Ukrainian name stands in where the language has none."""
    return {"code": code, "rank": rank, "label": label or label_uk, "colour": colour}


def _levels_by_cell(program: Program) -> dict[tuple[int, int], dict]:
    """Cell (probability id, consequence id) → level of the program's matrix, in one query."""
    cells = MatrixCell.objects.filter(matrix=program.risk_matrix_id).values_list(
        "probability_id",
        "consequence_id",
        "level__code",
        "level__rank",
        f"level__{name_column()}",
        "level__name_uk",
        "level__colour",
    )
    return {(probability, consequence): _level(*level) for probability, consequence, *level in cells.order_by()}


class DueDates:
    """`due_dates` of each distinct deadline, computed once: a program has hundreds of measures but few deadlines."""

    def __init__(self) -> None:
        self._known: dict[tuple, tuple[list[date], bool]] = {}

    def __call__(self, kind: str, year: int | None, part: int | None, on: date | None, program: Program):
        """(due dates, reported in every period) of a deadline given as its DEADLINE_VALUES."""
        key = (kind, year, part, on, program.start_year, program.end_year)
        known = self._known.get(key)
        if known is None:
            deadline = Deadline(kind=kind, year=year, part=part, on=on)
            known = self._known[key] = (
                due_dates(deadline, program.start_year, program.end_year),
                kind in EVERY_PERIOD_KINDS,
            )
        return known


DEADLINE_VALUES = ("deadline_kind", "deadline_year", "deadline_part", "deadline_date")


def program_rows(*, user, program: Program, unit: Unit | None = None) -> ProgramRows:
    measures = _visible_measures(user=user, program=program, unit=unit)
    values = measures.values_list(
        "pk",
        "number",
        "content",
        "task__number",
        "task__section_id",
        "task__section__number",
        "task__section__title",
        *DEADLINE_VALUES,
    ).order_by("task__section__number", "task__number", "position", "number", "pk")
    rows: list[MeasureState] = []
    sections: dict[int, tuple[int, str]] = {}
    dates_of = DueDates()
    for pk, number, content, task_number, section_id, section_number, section_title, *deadline in values:
        dates, every_period = dates_of(*deadline, program)
        rows.append(
            MeasureState(
                pk=pk,
                label=f"{section_number}.{task_number}. {number})" if number else f"{section_number}.{task_number}.",
                content=content,
                section=section_id,
                due_dates=dates,
                every_period=every_period,
            )
        )
        sections[section_id] = (section_number, section_title)
    by_pk = {row.pk: row for row in rows}
    # Links are read by the organisation's units, not by the ids just read: a list of hundreds of ids costs more to
    # build into SQL than the rows it selects. A measure only links units of its program's organisation
    # (`measures.services`); links of measures not in `by_pk` (another program, or out of scope) are skipped.
    units: dict[int, tuple[str, str]] = {}
    links = Measure.responsible_units.through.objects.filter(unit__organisation=program.organisation_id).values_list(
        "measure_id", "unit_id", "unit__abbreviation", "unit__name"
    )
    for measure_id, unit_id, abbreviation, name in links.order_by():
        row = by_pk.get(measure_id)
        if row is not None:
            row.units.append(unit_id)
            units[unit_id] = (abbreviation, name)
    # Likewise the treated risks are read by the program's risks, each joined to the cell of the matrix its
    # inherent probability and consequence fall in, and so to its level.
    cell = "risk__inherent_probability__matrixcell"
    treated = (
        Measure.risks.through.objects.filter(
            risk__program=program.pk, **{f"{cell}__consequence": F("risk__inherent_consequence")}
        )
        .values_list(
            "measure_id",
            f"{cell}__level__code",
            f"{cell}__level__rank",
            f"{cell}__level__{name_column()}",
            f"{cell}__level__name_uk",
            f"{cell}__level__colour",
        )
        .order_by()
    )
    levels: dict[int, dict] = {}
    for measure_id, code, rank, label, label_uk, colour in treated:
        row = by_pk.get(measure_id)
        if row is not None:
            row.risk_rank = max(row.risk_rank, rank)
            levels[rank] = _level(code, rank, label, label_uk, colour)
    return ProgramRows(program=program, measures=rows, sections=sections, units=units, levels=levels)


@dataclass
class PeriodEntries:
    """The entries the dashboard reads for some periods, and the days each measure was reported done."""

    values: dict[tuple, EntryValue]
    # The measure's "done" reports of any period of its program, as the last days of those periods: earlier periods'
    # ones decide whether a missed deadline is carried over (`measures.deadlines.standing_of`).
    earlier: Earlier


def _entries_by_period(periods: list[ReportingPeriod]) -> PeriodEntries:
    """(kind, year, number, measure id) → the entry, for the given periods and the quarters their roll-up reads,
    and every "done" of the same programs, in one query.

    Every entry of those periods is read, including entries of measures the user may not see: callers only look
    up the measures they were given by `restrict`, so nothing else ever leaves this module.
    """
    wanted = Q(period_id__in=[period.pk for period in periods])
    wanted |= Q(period__program_id__in={period.program_id for period in periods}, status=ExecutionStatus.DONE)
    for period in periods:
        numbers = quarters_in(period)
        if numbers:
            wanted |= Q(
                period__program_id=period.program_id,
                period__kind=PeriodKind.QUARTER,
                period__year=period.year,
                period__number__in=numbers,
            )
    # No ordering: the default one would join the program and the measure's task and section only to sort.
    entries = (
        ExecutionEntry.objects.filter(wanted)
        .values_list("period__kind", "period__year", "period__number", "measure_id", "status", "state")
        .order_by()
    )
    submitted = EntryState.SUBMITTED
    values = {}
    earlier = Earlier()
    for kind, year, number, measure_id, status, state in entries:
        values[kind, year, number, measure_id] = EntryValue(status, state == submitted)
        if status == ExecutionStatus.DONE:
            earlier.done_on.setdefault(measure_id, []).append(period_bounds(kind, year, number)[1])
    return PeriodEntries(values=values, earlier=earlier)


@dataclass(slots=True)
class PlacedMeasure:
    """One measure's standing in one period (a light object: the trend builds one per measure and period)."""

    measure: MeasureState
    status: str
    due: bool
    submitted: bool
    due_on: date | None
    overdue_since: date | None = None

    @property
    def pk(self) -> int:
        return self.measure.pk


def _apply_period(
    rows: list[MeasureState], period: ReportingPeriod, entries: PeriodEntries, today: date | None = None
) -> list[PlacedMeasure]:
    """Each measure's status in the period; a half-year or year without its own entry takes the latest quarter's.
    A deadline missed in an earlier period keeps the measure due, and overdue, until it is reported done."""
    quarters = sorted(quarters_in(period), reverse=True)
    kind, year, number = period.kind, period.year, period.number
    values = entries.values
    result = []
    for row in rows:
        own = values.get((kind, year, number, row.pk))
        shown = own
        for quarter in quarters if own is None else ():
            shown = values.get((PeriodKind.QUARTER, year, quarter, row.pk))
            if shown is not None:
                break
        standing = measure_standing(
            row.due_dates,
            every_period=row.every_period,
            period=period,
            measure_id=row.pk,
            earlier=entries.earlier,
            status_now=shown.status if shown is not None else None,
            today=today,
        )
        status = shown.status if shown is not None else MISSING if standing.due else ExecutionStatus.NOT_DUE
        result.append(
            PlacedMeasure(
                row, status, standing.due, own is not None and own.submitted, standing.due_on, standing.overdue_since
            )
        )
    return result


def _counts(rows) -> dict:
    statuses = empty_status_counts()
    for row in rows:
        statuses[row.status] += 1
    due = sum(1 for row in rows if row.due)
    done = sum(1 for row in rows if row.due and row.status == ExecutionStatus.DONE)
    return {
        "total": len(rows),
        "due": due,
        "done": done,
        "share_done": round(100 * done / due, 1) if due else None,
        "statuses": statuses,
    }


def _overdue(rows: list[PlacedMeasure], program: Program, period_start: date) -> list[dict]:
    """Measures whose deadline has passed and that are not done, including deadlines missed in earlier periods:
    what the commission asks about."""
    found = [row for row in rows if row.overdue_since is not None]
    labels = {status: status_label(status) for status in STATUS_ORDER}
    # The detail page is "<measure list>/<pk>/": one reverse() for the list instead of one per overdue measure.
    measures_url = reverse("measures:list", kwargs={"program_pk": program.pk})
    return [
        {
            "measure": row.pk,
            "label": row.measure.label,
            "content": row.measure.content,
            "due_on": row.overdue_since,
            "carried_over": row.overdue_since < period_start,
            "status": row.status,
            "status_label": labels[row.status],
            "url": f"{measures_url}{row.pk}/",
        }
        for row in sorted(found, key=lambda row: (row.overdue_since, row.measure.label))
    ]


def program_summary(
    *, user, program: Program, period: ReportingPeriod, unit: Unit | None = None, today: date | None = None
) -> dict:
    """Counts by status, unit, section and risk level, the share done, overdue measures and units that lag."""
    today = today or timezone.localdate()
    base = program_rows(user=user, program=program, unit=unit)
    entries = _entries_by_period([period])
    rows = _apply_period(base.measures, period, entries, today)

    by_unit: dict[int, list[PlacedMeasure]] = defaultdict(list)
    by_section: dict[int, list[PlacedMeasure]] = defaultdict(list)
    by_level: dict[int, list[PlacedMeasure]] = defaultdict(list)
    for row in rows:
        for unit_id in row.measure.units:
            by_unit[unit_id].append(row)
        by_section[row.measure.section].append(row)
        by_level[row.measure.risk_rank].append(row)

    not_submitted = []
    for unit_id, unit_rows in by_unit.items():
        due = [row for row in unit_rows if row.due]
        submitted = sum(1 for row in due if row.submitted)
        if len(due) > submitted:
            abbreviation, name = base.units[unit_id]
            not_submitted.append(
                {
                    "unit": unit_id,
                    "abbreviation": abbreviation,
                    "name": name,
                    "due": len(due),
                    "submitted": submitted,
                    "outstanding": len(due) - submitted,
                }
            )

    def unit_bucket(unit_id: int) -> dict:
        abbreviation, name = base.units[unit_id]
        return {"unit": unit_id, "abbreviation": abbreviation, "name": name, **_counts(by_unit[unit_id])}

    def level_bucket(rank: int) -> dict:
        level = base.levels.get(rank)
        if level is None:
            level = {"code": NO_RISK, "rank": 0, "label": str(_("Treats no risk")), "colour": "#9e9e9e"}
        return {"level": level["code"], "label": level["label"], "colour": level["colour"], **_counts(by_level[rank])}

    return {
        "program": program_ref(program),
        "period": {"id": period.pk, "label": str(period), "starts_on": period.starts_on, "ends_on": period.ends_on},
        "unit": unit.pk if unit else None,
        "as_of": today,
        **_counts(rows),
        "status_labels": {status: status_label(status) for status in STATUS_ORDER},
        "by_unit": [unit_bucket(unit_id) for unit_id in sorted(by_unit, key=lambda pk: base.units[pk][0])],
        "by_section": [
            {"section": pk, "number": base.sections[pk][0], "title": base.sections[pk][1], **_counts(by_section[pk])}
            for pk in sorted(by_section, key=lambda pk: base.sections[pk][0])
        ],
        "by_risk_level": [level_bucket(rank) for rank in sorted(by_level, reverse=True)],
        "overdue": _overdue(rows, program, period.starts_on),
        "units_not_submitted": sorted(not_submitted, key=lambda item: item["abbreviation"]),
    }


def program_trend(*, user, program: Program, kind: str = PeriodKind.QUARTER, unit: Unit | None = None) -> dict:
    """The status counts and the share done of every period of one kind, oldest first."""
    periods = list(dashboard_periods(user=user, program=program).filter(kind=kind).order_by("year", "number"))
    base = program_rows(user=user, program=program, unit=unit)
    entries = _entries_by_period(periods)
    points = []
    for period in periods:
        counts = _counts(_apply_period(base.measures, period, entries))
        points.append({"period": period.pk, "label": str(period), "ends_on": period.ends_on, **counts})
    return {
        "program": program_ref(program),
        "kind": kind,
        "status_labels": {status: status_label(status) for status in STATUS_ORDER},
        "points": points,
    }


# --- the risk heat map ---------------------------------------------------------------------------------------------


def risk_heatmap(*, user, program: Program) -> dict:
    """Risks per matrix cell before (inherent) and after (residual) treatment; five queries whatever the register."""
    matrix_id = program.risk_matrix_id
    probabilities = list(ProbabilityLevel.objects.filter(matrix=matrix_id).order_by("-score"))
    consequences = list(ConsequenceLevel.objects.filter(matrix=matrix_id).order_by("score"))
    by_cell = _levels_by_cell(program)
    risks = Risk.objects.restrict(user, Action.VIEW).filter(program=program)
    inherent = Counter(
        {
            (row["inherent_probability"], row["inherent_consequence"]): row["count"]
            for row in risks.values("inherent_probability", "inherent_consequence").annotate(count=Count("pk"))
        }
    )
    residual_rows = risks.values("residual_probability", "residual_consequence").annotate(count=Count("pk"))
    residual = Counter()
    not_reassessed = 0
    for row in residual_rows:
        if row["residual_probability"] is None:
            not_reassessed += row["count"]
        else:
            residual[(row["residual_probability"], row["residual_consequence"])] = row["count"]

    def grid(counts: Counter) -> list[list[dict]]:
        return [
            [
                {
                    "probability": probability.score,
                    "consequence": consequence.score,
                    "count": counts.get((probability.pk, consequence.pk), 0),
                    "level": by_cell.get((probability.pk, consequence.pk), {}).get("code", ""),
                    "colour": by_cell.get((probability.pk, consequence.pk), {}).get("colour", "#888888"),
                }
                for consequence in consequences
            ]
            for probability in probabilities
        ]

    def by_level(counts: Counter) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for cell, count in counts.items():
            level = by_cell.get(cell)
            if level:
                totals[level["code"]] += count
        return dict(totals)

    return {
        "program": program_ref(program),
        "probabilities": [{"score": p.score, "label": p.name} for p in probabilities],
        "consequences": [{"score": c.score, "label": c.name} for c in consequences],
        "levels": [
            {"code": level["code"], "label": level["label"], "colour": level["colour"]}
            for level in sorted({v["code"]: v for v in by_cell.values()}.values(), key=lambda v: v["rank"])
        ],
        "inherent": grid(inherent),
        "residual": grid(residual),
        "inherent_by_level": by_level(inherent),
        "residual_by_level": by_level(residual),
        "total": sum(inherent.values()),
        "not_reassessed": not_reassessed,
    }


# --- organisations side by side --------------------------------------------------------------------------------------


def _subtree(organisation: Organisation, visible: list[Organisation]) -> list[tuple[Organisation, int]]:
    """The organisation and every visible organisation below it, each with its depth, parents before children."""
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    for item in visible:
        children[item.parent_id].append(item)
    result = []
    stack = [(organisation, 0)]
    while stack:
        item, depth = stack.pop()
        result.append((item, depth))
        below = sorted(children.get(item.pk, ()), key=lambda org: org.short_name, reverse=True)
        stack.extend((child, depth + 1) for child in below if child.pk != organisation.pk)
    return result


def organisation_comparison(*, user, organisation: Organisation, kind: str, year: int, number: int) -> list[dict]:
    """The organisation and the bodies below it at any depth, each with its active program's numbers for the same
    period. Five queries whatever the size of the tree."""
    visible = list(Organisation.objects.restrict(user, Action.VIEW).only("pk", "parent_id", "short_name", "name"))
    tree = _subtree(organisation, visible)
    periods = list(
        ReportingPeriod.objects.restrict(user, Action.VIEW)
        .filter(
            program__organisation__in=[item.pk for item, _depth in tree],
            program__status__in=ACTIVE_PROGRAM_STATUSES,
            kind=kind,
            year=year,
            number=number,
        )
        .select_related("program")
    )
    period_by_org = {period.program.organisation_id: period for period in periods}
    program_by_pk = {period.program_id: period.program for period in periods}
    measures = Measure.objects.restrict(user, Action.VIEW).filter(task__section__program__in=list(program_by_pk))
    rows_by_program: dict[int, list[MeasureState]] = defaultdict(list)
    dates_of = DueDates()
    for pk, program_id, *deadline in measures.values_list("pk", "task__section__program_id", *DEADLINE_VALUES):
        dates, every_period = dates_of(*deadline, program_by_pk[program_id])
        rows_by_program[program_id].append(
            MeasureState(pk=pk, label="", content="", section=0, due_dates=dates, every_period=every_period)
        )
    entries = _entries_by_period(periods)
    result = []
    for item, depth in tree:
        period = period_by_org.get(item.pk)
        entry = {
            "organisation": item.pk,
            "short_name": item.short_name,
            "name": item.name,
            "parent": item.parent_id if depth else None,
            "depth": depth,
            "program": None,
            "period": None,
        }
        if period is not None:
            counts = _counts(_apply_period(rows_by_program[period.program_id], period, entries))
            entry.update(program=period.program_id, program_title=period.program.title, period=period.pk, **counts)
        result.append(entry)
    return result


# --- whistleblower statistics ----------------------------------------------------------------------------------------


def whistleblower_organisations(*, user) -> set[int]:
    return user_organisation_ids(user, WHISTLEBLOWER_STATS_ROLES)


def _review_finished_on(row: dict) -> date | None:
    """The day the preliminary review ended: verification began, the report was forwarded, or it was sorted out."""
    from whistleblowers.deadlines import AFTER_REVIEW

    if row["status"] not in AFTER_REVIEW:
        return None
    return row["verification_started_on"] or row["first_forwarded_on"] or row["status_changed_on"]


def whistleblower_statistics(
    *, user, organisation: Organisation | None = None, year: int | None = None, today: date | None = None
) -> dict:
    """Anonymised numbers: received, by status, overdue, median working days to the end of preliminary review.

    Only counts leave this function — no report, no text, no identity — so managers and secretaries may read them
    while the reports themselves stay with the officer. Two queries whatever the number of reports.
    """
    from whistleblowers.choices import CaseStatus
    from whistleblowers.deadlines import case_deadlines
    from whistleblowers.models import WhistleblowerReport
    from whistleblowers.selectors import CASE_DATE_FIELDS, case_dates_from, rules_by_organisation

    today = today or timezone.localdate()
    allowed = whistleblower_organisations(user=user)
    if organisation is not None:
        allowed &= {organisation.pk}
    reports = WhistleblowerReport.objects.filter(organisation__in=allowed)
    if year is not None:
        reports = reports.filter(received_at__year=year)
    rows = list(
        reports.annotate(first_forwarded_on=Min("forwardings__sent_on")).values(
            "organisation_id", "first_forwarded_on", *CASE_DATE_FIELDS
        )
    )
    rules = rules_by_organisation({row["organisation_id"] for row in rows}) if rows else {}
    by_status = dict.fromkeys(CaseStatus.values, 0)
    overdue = 0
    review_days = []
    for row in rows:
        received_on = timezone.localdate(row["received_at"])
        by_status[row["status"]] += 1
        case = case_dates_from(row)
        if any(deadline.overdue for deadline in case_deadlines(case, rules[row["organisation_id"]], today=today)):
            overdue += 1
        finished = _review_finished_on(row)
        if finished is not None:
            review_days.append(working_days_between(received_on, finished))
    return {
        "organisation": organisation.pk if organisation else None,
        "year": year,
        "received": len(rows),
        "by_status": [
            {"status": status.value, "label": str(status.label), "count": by_status[status.value]}
            for status in CaseStatus
        ],
        "open": sum(count for status, count in by_status.items() if status != CaseStatus.CLOSED),
        "overdue": overdue,
        "reviewed": len(review_days),
        "median_review_working_days": statistics.median(review_days) if review_days else None,
    }
