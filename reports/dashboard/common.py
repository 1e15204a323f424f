"""What every part of the dashboard shares: the order of statuses, their labels, the filters' choices."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Action
from core.periods import PERIOD_READING_ORDER, PeriodKind
from programs.choices import ProgramStatus
from programs.models import Program, Unit
from reports.choices import ExecutionStatus
from reports.dashboard.placed import MISSING
from reports.execution.models import ReportingPeriod

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
ACTIVE_PROGRAM_STATUSES = (ProgramStatus.IN_FORCE, ProgramStatus.UNDER_REVISION, ProgramStatus.AGREED)


def status_label(status: str) -> str:
    if status == MISSING:
        return str(_("Due, not reported"))
    return str(ExecutionStatus(status).label)


def status_labels() -> dict[str, str]:
    return {status: status_label(status) for status in STATUS_ORDER}


def program_ref(program: Program) -> dict:
    return {"id": program.pk, "title": program.title, "organisation": program.organisation_id}


def empty_status_counts() -> dict[str, int]:
    return dict.fromkeys(STATUS_ORDER, 0)


class Counts:
    """Status counts of a group of measures, added up from the rows of a GROUP BY."""

    __slots__ = ("done", "due", "statuses", "submitted", "total")

    def __init__(self) -> None:
        self.total = self.due = self.done = self.submitted = 0
        self.statuses = empty_status_counts()

    def add(self, *, status: str, due: bool, count: int, submitted: bool = False) -> None:
        self.total += count
        self.statuses[status] += count
        if due:
            self.due += count
            self.submitted += count if submitted else 0
            self.done += count if status == ExecutionStatus.DONE else 0

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "due": self.due,
            "done": self.done,
            "share_done": round(100 * self.done / self.due, 1) if self.due else None,
            "statuses": dict(self.statuses),
        }


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
