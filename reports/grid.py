"""Reads for the period pages: every measure of a program for one period with its entry, in a fixed number of queries.

What is due in a period is computed from each measure's structured deadline, never ticked by hand. A half-year or a
year without a direct entry shows the latest quarter's entry in its span (the roll-up); no rows are copied.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from measures.deadlines import Standing
from measures.models import Measure
from measures.selectors import measure_list
from programs.access import Action
from programs.models import Unit

from .choices import EntryState, ExecutionStatus, PeriodAction, PeriodKind
from .execution import previous_period
from .models import Evidence, ExecutionEntry, PeriodEvent, ReportingPeriod
from .standing import Latest, deadline_standing, earlier_entries, overdue_note, status_text

FINDING_STATUSES = frozenset({ExecutionStatus.NOT_DONE, ExecutionStatus.PARTIALLY_DONE})


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
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("position", "pk")))
    )


@dataclass
class GridRow:
    measure: Measure
    entry: ExecutionEntry | None
    standing: Standing
    rolled_up: ExecutionEntry | None = None
    latest: Latest | None = None
    can_copy: bool = False

    @property
    def due(self) -> bool:
        return self.standing.due

    @property
    def shown(self) -> ExecutionEntry | None:
        return self.entry or self.rolled_up

    @property
    def units(self) -> list[Unit]:
        return list(self.measure.responsible_units.all())

    @property
    def submitted(self) -> bool:
        return self.entry is not None and self.entry.state == EntryState.SUBMITTED

    @property
    def status(self) -> str:
        """The status a filter matches: the entry's, "missing" when due and unreported, "not_due" otherwise."""
        if self.shown is not None:
            return self.shown.status
        return "missing" if self.due else ExecutionStatus.NOT_DUE

    @property
    def sentence(self) -> str:
        """The status column of the grid, the review and the PDF: one text for all three."""
        shown = self.shown
        return status_text(
            sentence=shown.sentence() if shown is not None else None, standing=self.standing, latest=self.latest
        )

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
    numbers = quarters_in(period)
    if not numbers:
        return {}
    entries = (
        entry_queryset(user=user)
        .filter(
            period__program_id=period.program_id,
            period__kind=PeriodKind.QUARTER,
            period__year=period.year,
            period__number__in=numbers,
        )
        .order_by("period__number")
    )
    latest: dict[int, ExecutionEntry] = {}
    for entry in entries:
        latest[entry.measure_id] = entry
    return latest


def period_grid(*, user, period: ReportingPeriod, measures: QuerySet[Measure] | None = None) -> Grid:
    """Rows for every measure the user may see; queries do not grow with the number of measures."""
    program = period.program
    if measures is None:
        measures = measure_list(user=user, program=program)
    measures = list(measures.order_by("task__section__number", "task__number", "position", "number", "pk"))
    entries = {entry.measure_id: entry for entry in entry_queryset(user=user).filter(period=period)}
    rolled = rolled_up_entries(user=user, period=period)
    previous = previous_period(period)
    copyable = (
        set(ExecutionEntry.objects.filter(period=previous).values_list("measure_id", flat=True)) if previous else set()
    )
    earlier = earlier_entries(program_id=program.pk, before=period.starts_on)
    grid = Grid(period=period)
    progress: dict[int, UnitProgress] = {}
    for measure in measures:
        entry = entries.get(measure.pk)
        shown = entry or rolled.get(measure.pk)
        row = GridRow(
            measure=measure,
            entry=entry,
            standing=deadline_standing(
                measure.deadline,
                period=period,
                measure_id=measure.pk,
                earlier=earlier,
                status_now=shown.status if shown is not None else None,
            ),
            rolled_up=None if entry else shown,
            latest=earlier.latest.get(measure.pk),
            can_copy=measure.pk in copyable and (entry is None or not entry.narrative),
        )
        grid.rows.append(row)
        if row.due:
            for unit in row.units:
                item = progress.setdefault(unit.pk, UnitProgress(unit=unit))
                item.due += 1
                item.submitted += row.submitted
    reminded: dict[int, object] = {}
    events = PeriodEvent.objects.filter(period=period, action=PeriodAction.REMINDED).prefetch_related("units")
    for event in events.order_by("at"):
        for unit in event.units.all():
            reminded[unit.pk] = event.at
    for item in progress.values():
        item.last_reminded = reminded.get(item.unit.pk)
    grid.units = sorted(progress.values(), key=lambda item: item.unit.abbreviation)
    return grid


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


def reporter_periods(*, user) -> QuerySet[ReportingPeriod]:
    from .choices import PeriodState

    return (
        ReportingPeriod.objects.restrict(user)
        .filter(state=PeriodState.OPEN, kind=PeriodKind.QUARTER)
        .select_related("program")
        .order_by("submission_due")
    )


def count_by(rows: list[GridRow], attribute: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[getattr(row, attribute)] += 1
    return dict(counts)
