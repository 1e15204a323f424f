"""Reads for the period pages: every measure of a program for one period with its entry, in a fixed number of queries.

What is due in a period is computed from each measure's structured deadline, never ticked by hand. A half-year or a
year without a direct entry shows the latest quarter's entry in its span (the roll-up); no rows are copied.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Action
from core.periods import PeriodKind
from measures.deadlines import EVERY_PERIOD_KINDS, Deadline, Standing, due_dates, phrase
from measures.models import Measure, MeasureUnit, Task
from measures.selectors import measure_list
from programs.models import Unit
from reports.choices import EntryState, ExecutionStatus, PeriodState
from reports.execution.evidence import EvidenceRef, status_sentence
from reports.execution.models import (
    Evidence,
    ExecutionEntry,
    PeriodEvent,
    ReminderDelivery,
    ReportingPeriod,
    evidence_prefetch,
)
from reports.execution.services import previous_period
from reports.execution.standing import (
    Earlier,
    Latest,
    deadline_standing,
    earlier_entries,
    measure_standing,
    overdue_note,
    status_text,
)

FINDING_STATUSES = frozenset({ExecutionStatus.NOT_DONE, ExecutionStatus.PARTIALLY_DONE})
GRID_CELLS = ("status", "narrative", "non_execution_reasons", "next_steps")


def period_get(*, user, pk: int, action: Action = Action.VIEW) -> ReportingPeriod:
    return get_object_or_404(
        ReportingPeriod.objects.restrict(user, action).select_related(
            "program__organisation", "approval_decision__meeting"
        ),
        pk=pk,
    )


def measure_get(*, user, period: ReportingPeriod, pk: int) -> Measure:
    """A measure of the period's program the user may see (a reporter: only their units' measures), else 404."""
    measures = Measure.objects.restrict(user).filter(task__section__program_id=period.program_id)
    return get_object_or_404(measures.select_related("task__section__program"), pk=pk)


def entry_queryset(*, user) -> QuerySet[ExecutionEntry]:
    return (
        ExecutionEntry.objects.restrict(user)
        .select_related("period__program", "measure", "submitted_by", "updated_by", "evaluation")
        .prefetch_related(evidence_prefetch())
    )


@dataclass
class GridRow:
    """One measure in one period. What the pages print of it (units, deadline, status sentence) is worked out once:
    the grid of 300 measures reads each several times."""

    measure: Measure
    entry: ExecutionEntry | None
    standing: Standing
    rolled_up: ExecutionEntry | None = None
    latest: Latest | None = None
    can_copy: bool = False
    units: list[Unit] = field(default_factory=list)
    deadline_phrase: str = ""
    # The documents cited by the shown entry, read for all rows in one query, and its status's label.
    refs: list[EvidenceRef] = field(default_factory=list)
    status_label: str = ""
    # A grid save that was refused: what the user typed, shown again in the row with the errors beside it.
    posted: dict | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def cells(self) -> dict[str, str]:
        """The values of the row's editable cells: what was typed when a save was refused, else the entry's."""
        if self.posted is not None:
            return {name: self.posted.get(name, "") for name in GRID_CELLS}
        entry = self.entry
        return {name: getattr(entry, name) if entry is not None else "" for name in GRID_CELLS}

    @property
    def needs_reasons(self) -> bool:
        """Form 1's reasons and next steps are asked for a measure not fully done, or shown when already written."""
        cells = self.cells
        return cells["status"] in FINDING_STATUSES or bool(cells["non_execution_reasons"] or cells["next_steps"])

    @property
    def due(self) -> bool:
        return self.standing.due

    @property
    def shown(self) -> ExecutionEntry | None:
        return self.entry or self.rolled_up

    @property
    def submitted(self) -> bool:
        return self.entry is not None and self.entry.state == EntryState.SUBMITTED

    @property
    def status(self) -> str:
        """The status a filter matches: the entry's, "missing" when due and unreported, "not_due" otherwise."""
        if self.shown is not None:
            return self.shown.status
        return "missing" if self.due else ExecutionStatus.NOT_DUE

    @cached_property
    def sentence(self) -> str:
        """The status column of the grid, the review and the PDF: one text for all three (`ExecutionEntry.sentence`
        with the documents the builder read)."""
        shown = self.shown
        sentence = None
        if shown is not None:
            sentence = status_sentence(self.status_label or shown.get_status_display(), shown.narrative, self.refs)
        return status_text(sentence=sentence, standing=self.standing, latest=self.latest)

    @property
    def overdue_note(self) -> str:
        return overdue_note(self.standing)

    @property
    def is_finding(self) -> bool:
        return self.due and (self.shown is None or self.shown.status in FINDING_STATUSES)


@dataclass
class UnitProgress:
    unit: Unit
    due: int = 0
    submitted: int = 0
    last_reminded: object = None

    @property
    def outstanding(self) -> int:
        return self.due - self.submitted


@dataclass
class Grid:
    period: ReportingPeriod
    rows: list[GridRow] = field(default_factory=list)
    units: list[UnitProgress] = field(default_factory=list)

    @property
    def not_submitted(self) -> list[UnitProgress]:
        return [progress for progress in self.units if progress.outstanding > 0]

    @property
    def findings(self) -> list[GridRow]:
        return [row for row in self.rows if row.is_finding]


def quarters_in(period: ReportingPeriod) -> tuple[int, ...]:
    if period.kind == PeriodKind.HALF_YEAR:
        return (1, 2) if period.number == 1 else (3, 4)
    if period.kind == PeriodKind.YEAR:
        return (1, 2, 3, 4)
    return ()


def rolled_up_entries(*, user, period: ReportingPeriod) -> dict[int, ExecutionEntry]:
    """For a half-year or a year: each measure's entry of the latest quarter in its span that has one."""
    return _rolled_up(entry_queryset(user=user), period)


def _rolled_up(entries: QuerySet[ExecutionEntry], period: ReportingPeriod) -> dict[int, ExecutionEntry]:
    numbers = quarters_in(period)
    if not numbers:
        return {}
    latest: dict[int, ExecutionEntry] = {}
    for entry in entries.filter(
        period__program_id=period.program_id,
        period__kind=PeriodKind.QUARTER,
        period__year=period.year,
        period__number__in=numbers,
    ).order_by("period__number"):
        latest[entry.measure_id] = entry
    return latest


def period_grid(*, user, period: ReportingPeriod, measures: QuerySet[Measure] | None = None) -> Grid:
    """Rows for every measure the user may see; queries do not grow with the number of measures."""
    if measures is None:
        measures = measure_list(user=user, program=period.program)
    return _grid(period, measures, entry_queryset(user=user))


def period_grid_unrestricted(*, period: ReportingPeriod) -> Grid:
    """Every measure and entry of the period, for the scheduler's jobs, which act for nobody in particular."""
    measures = Measure.objects.filter(task__section__program_id=period.program_id).select_related(
        "task__section__program"
    )
    return _grid(period, measures, ExecutionEntry.objects.select_related("evaluation"))


def _units_of(program_id: int) -> dict[int, list[Unit]]:
    """Each measure's responsible units in the measure's own order, for every measure of the program: the links as
    plain values and each unit once. Asked by program, not by a list of the rows' 300 measure ids, which Django
    compiled value by value into the statement."""
    links = list(
        MeasureUnit.objects.filter(measure__task__section__program_id=program_id)
        .order_by("position", "pk")
        .values_list("measure_id", "unit_id")
    )
    by_pk = Unit.objects.in_bulk({unit_id for _, unit_id in links})
    units: dict[int, list[Unit]] = defaultdict(list)
    for measure_id, unit_id in links:
        units[measure_id].append(by_pk[unit_id])
    return units


def _refs_of(entries: list[ExecutionEntry], period: ReportingPeriod) -> dict[int, list[EvidenceRef]]:
    """The documents of each entry in their order, in one query, for the status sentences. Entries all of the period
    are matched by their period, not by a list of 300 ids that Django compiles value by value into the statement."""
    refs: dict[int, list[EvidenceRef]] = defaultdict(list)
    if entries:
        if all(entry.period_id == period.pk for entry in entries):
            evidence = Evidence.objects.filter(entry__period=period)
        else:
            evidence = Evidence.objects.filter(entry_id__in=[entry.pk for entry in entries])
        for item in evidence.order_by("entry_id", "position", "pk"):
            refs[item.entry_id].append(item.as_ref())
    return refs


def _grid(period: ReportingPeriod, measures: QuerySet[Measure], entry_rows: QuerySet[ExecutionEntry]) -> Grid:
    program = period.program
    # Units and documents are read below in one query each: a prefetch builds a queryset per measure and per entry,
    # which costs more than the rows themselves at 300 measures. Likewise the period, the program and the measures are
    # at hand, so the rows do not read a copy of them each.
    measures = list(
        measures.prefetch_related(None)
        .select_related(None)
        .order_by("task__section__number", "task__number", "position", "number", "pk")
    )
    # A program has a few dozen tasks: read once and shared by their measures, not built again for every row.
    tasks = Task.objects.filter(section__program_id=program.pk).select_related("section").in_bulk()
    for task in tasks.values():
        task.section.program = program
    entry_rows = entry_rows.prefetch_related(None).select_related(None).select_related("submitted_by", "evaluation")
    # Unsorted: the rows follow the measures. The entries' own order joined the program, task and section and sorted
    # 300 wide rows on the program's title (a third of the statement's time).
    entries = {entry.measure_id: entry for entry in entry_rows.filter(period=period).order_by()}
    rolled = _rolled_up(entry_rows.select_related("period"), period)
    previous = previous_period(period)
    copyable = (
        set(ExecutionEntry.objects.filter(period=previous).values_list("measure_id", flat=True)) if previous else set()
    )
    earlier = earlier_entries(program_id=program.pk, before=period.starts_on)
    units = _units_of(program.pk)
    shown_entries = {measure.pk: entries.get(measure.pk) or rolled.get(measure.pk) for measure in measures}
    refs = _refs_of([entry for entry in shown_entries.values() if entry is not None], period)
    today = timezone.localdate()
    due: dict[Deadline, list[date]] = {}
    standings: dict[tuple, Standing] = {}
    labels = {value: str(label) for value, label in ExecutionStatus.choices}
    phrases: dict[Deadline, str] = {}
    grid = Grid(period=period)
    progress: dict[int, UnitProgress] = {}
    task_field = Measure._meta.get_field("task")
    for measure in measures:
        task_field.set_cached_value(measure, tasks[measure.task_id])
        entry = entries.get(measure.pk)
        if entry is not None:
            entry.period, entry.measure = period, measure
        shown = shown_entries[measure.pk]
        deadline = measure.deadline
        if deadline not in phrases:
            phrases[deadline] = phrase(deadline, program.start_year, program.end_year)
            due[deadline] = due_dates(deadline, program.start_year, program.end_year)
        status_now = shown.status if shown is not None else None
        # The standing is a pure function of these; most measures of a program share them.
        key = (deadline, tuple(earlier.done_on.get(measure.pk, ())), status_now == ExecutionStatus.DONE)
        if key not in standings:
            standings[key] = measure_standing(
                due[deadline],
                every_period=deadline.kind in EVERY_PERIOD_KINDS,
                period=period,
                measure_id=measure.pk,
                earlier=earlier,
                status_now=status_now,
                today=today,
            )
        row = GridRow(
            measure=measure,
            entry=entry,
            standing=standings[key],
            rolled_up=None if entry else shown,
            latest=earlier.latest.get(measure.pk),
            can_copy=measure.pk in copyable and (entry is None or not entry.narrative),
            units=units.get(measure.pk, []),
            deadline_phrase=phrases[deadline],
            refs=refs.get(shown.pk, []) if shown is not None else [],
            status_label=labels.get(shown.status, shown.status) if shown is not None else "",
        )
        grid.rows.append(row)
        if row.due:
            for unit in row.units:
                item = progress.setdefault(unit.pk, UnitProgress(unit=unit))
                item.due += 1
                item.submitted += row.submitted
    # A unit counts as reminded when its e-mail went out, not when a reminder was asked for.
    reminded: dict[int, object] = {}
    deliveries = ReminderDelivery.objects.filter(event__period=period, sent_at__isnull=False)
    deliveries = deliveries.values_list("unit_id", "sent_at")
    for unit_id, sent_at in deliveries.order_by("sent_at"):
        reminded[unit_id] = sent_at
    for item in progress.values():
        item.last_reminded = reminded.get(item.unit.pk)
    grid.units = sorted(progress.values(), key=lambda item: item.unit.abbreviation)
    return grid


@dataclass
class Gaps:
    """What a period's report still lacks: the commission sees it before sending for review and before approving."""

    unsubmitted: list[tuple[Unit, list[GridRow]]] = field(default_factory=list)
    not_evaluated: list[GridRow] = field(default_factory=list)
    without_reasons: list[GridRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.unsubmitted or self.not_evaluated or self.without_reasons)

    def sentences(self) -> list[str]:
        """The gaps as sentences a person can act on (the refusal message and the API's `summary`)."""
        found = []
        if self.unsubmitted:
            units = ", ".join(f"{unit.abbreviation} ({len(rows)})" for unit, rows in self.unsubmitted)
            found.append(_("Due entries not submitted, by unit: %(units)s.") % {"units": units})
        if self.not_evaluated:
            found.append(_("Entries not evaluated by the commission: %(count)s.") % {"count": len(self.not_evaluated)})
        if self.without_reasons:
            found.append(
                _("Partly done or not done entries without reasons and next steps: %(count)s.")
                % {"count": len(self.without_reasons)}
            )
        return found


def period_gaps(grid: Grid) -> Gaps:
    """Due entries not submitted (by unit), entries without the commission's evaluation, and partly done or not done
    entries without reasons and next steps — from the grid already read, with no further query."""
    gaps = Gaps()
    by_unit: dict[int, list[GridRow]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for row in grid.rows:
        if row.due and not row.submitted:
            for unit in row.units:
                units[unit.pk] = unit
                by_unit[unit.pk].append(row)
        entry = row.entry
        if entry is None:
            continue
        if not hasattr(entry, "evaluation"):
            gaps.not_evaluated.append(row)
        if entry.status in FINDING_STATUSES and not (entry.non_execution_reasons.strip() and entry.next_steps.strip()):
            gaps.without_reasons.append(row)
    gaps.unsubmitted = [(units[pk], by_unit[pk]) for pk in sorted(by_unit, key=lambda pk: units[pk].abbreviation)]
    return gaps


def filter_rows(rows: list[GridRow], *, status: str = "", submitted: str = "") -> list[GridRow]:
    """The filters that depend on computed due-ness work on the rows, after the database filters."""
    if status:
        rows = [row for row in rows if row.status == status]
    if submitted == "yes":
        rows = [row for row in rows if row.submitted]
    elif submitted == "no":
        rows = [row for row in rows if row.due and not row.submitted]
    return rows


def period_events(*, period: ReportingPeriod) -> QuerySet[PeriodEvent]:
    return period.events.select_related("by", "decision__meeting").prefetch_related("units")


def units_by_pk(rows: list[GridRow]) -> dict[int, Unit]:
    units: dict[int, Unit] = {}
    for row in rows:
        for unit in row.units:
            units[unit.pk] = unit
    return units


@dataclass
class ReporterPeriod:
    """One quarter as a unit reporter sees it: how many of their measures are due and how many they submitted."""

    period: ReportingPeriod
    due: int = 0
    submitted: int = 0
    today: date | None = None

    @property
    def outstanding(self) -> int:
        return self.due - self.submitted

    @property
    def late(self) -> bool:
        return self.outstanding > 0 and self.today is not None and self.today > self.period.submission_due

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.due) if self.due else 100


def reporter_periods(*, user, today: date | None = None) -> list[ReporterPeriod]:
    """Every quarter of the programs the user reports for, with the progress of the measures they see: open ones
    first (soonest due first), then those under review and approved, newest first. Four queries in all."""
    today = today or timezone.localdate()
    periods = list(
        ReportingPeriod.objects.restrict(user)
        .filter(kind=PeriodKind.QUARTER)
        .select_related("program")
        .order_by("-year", "-number")
    )
    program_ids = {period.program_id for period in periods}
    measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in (
        Measure.objects.restrict(user).filter(task__section__program_id__in=program_ids).select_related("task__section")
    ):
        measures[measure.task.section.program_id].append(measure)
    entries: dict[tuple[int, int], tuple[str, str]] = {}
    earlier: dict[int, Earlier] = defaultdict(Earlier)
    period_ends = {period.pk: period.ends_on for period in periods}
    rows = ExecutionEntry.objects.restrict(user).filter(period_id__in=period_ends)
    for period_id, program_id, measure_id, status, state in rows.values_list(
        "period_id", "period__program_id", "measure_id", "status", "state"
    ).order_by():
        entries[period_id, measure_id] = (status, state)
        if status == ExecutionStatus.DONE:
            earlier[program_id].done_on.setdefault(measure_id, []).append(period_ends[period_id])
    result = []
    for period in periods:
        item = ReporterPeriod(period=period, today=today)
        for measure in measures[period.program_id]:
            status, state = entries.get((period.pk, measure.pk), (None, None))
            standing = deadline_standing(
                measure.deadline,
                period=period,
                measure_id=measure.pk,
                earlier=earlier[period.program_id],
                status_now=status,
                today=today,
            )
            if standing.due:
                item.due += 1
                item.submitted += state == EntryState.SUBMITTED
        result.append(item)
    open_first = sorted(
        (item for item in result if item.period.state == PeriodState.OPEN), key=lambda item: item.period.submission_due
    )
    return open_first + [item for item in result if item.period.state != PeriodState.OPEN]


def count_by(rows: list[GridRow], attribute: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[getattr(row, attribute)] += 1
    return dict(counts)
