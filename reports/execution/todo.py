"""Each role's start page is its to-do list: what is waiting for this person now, with links to do it.

Reads only; each function costs a few queries per open period or program of the user's bodies, never per measure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from core.access import user_organisation_ids
from core.periods import PeriodKind
from core.roles import Role
from programs.lifecycle import revision_deadlines
from programs.models import Meeting, ProgramRevision
from programs.services import OPEN_REVISION_STATUSES, REPORTED_STATUSES
from reports.choices import EntryState, PeriodState
from reports.dashboard.selectors import default_period, program_summary
from reports.execution.grid import GridRow, UnitProgress, period_gaps, period_grid
from reports.execution.models import ReportingPeriod


def _current_quarters(organisations, *, today: date, state: str = PeriodState.OPEN) -> list[ReportingPeriod]:
    """Quarters of programs being reported on, in the given state; open ones only once they have begun."""
    periods = (
        ReportingPeriod.objects.filter(
            program__organisation__in=organisations,
            program__status__in=REPORTED_STATUSES,
            kind=PeriodKind.QUARTER,
            state=state,
        )
        .select_related("program__organisation")
        .order_by("submission_due")
    )
    return [period for period in periods if state != PeriodState.OPEN or period.has_begun(today)]


@dataclass
class SecretaryPeriod:
    period: ReportingPeriod
    not_submitted: list[UnitProgress]
    submitted: int
    late: bool


@dataclass
class OpenRevision:
    revision: ProgramRevision
    next_due: date | None
    overdue: bool


@dataclass
class SecretaryTodo:
    periods: list[SecretaryPeriod] = field(default_factory=list)
    revisions: list[OpenRevision] = field(default_factory=list)


def secretary_todo(*, user, today: date | None = None) -> SecretaryTodo:
    """Units that have not submitted, entries waiting to be consolidated, revisions whose deadlines run."""
    today = today or timezone.localdate()
    organisations = user_organisation_ids(user, {Role.SECRETARY})
    todo = SecretaryTodo()
    for period in _current_quarters(organisations, today=today):
        grid = period_grid(user=user, period=period)
        todo.periods.append(
            SecretaryPeriod(
                period=period,
                not_submitted=grid.not_submitted,
                submitted=sum(1 for row in grid.rows if row.submitted),
                late=today > period.submission_due,
            )
        )
    revisions = ProgramRevision.objects.filter(
        program__organisation__in=organisations, status__in=OPEN_REVISION_STATUSES
    ).select_related("program")
    for revision in revisions.order_by("ground_arose_on"):
        program = revision.program
        deadlines = revision_deadlines(
            ground_arose_on=revision.ground_arose_on,
            decision_months=program.revision_decision_months,
            meeting_weeks=program.revision_meeting_weeks,
            protocol_working_days=program.revision_protocol_working_days,
            head_decision_on=revision.head_decision_on,
            meeting_held_on=None,
            protocol_signed_on=None,
            today=today,
        )
        running = [item for item in (deadlines.head_decision, deadlines.meeting) if item.done_on is None and item.due]
        next_due = min((item.due for item in running), default=None)
        todo.revisions.append(OpenRevision(revision, next_due, any(item.overdue for item in running)))
    return todo


# The start page names this many measures a quarter; the rest are a link to the grid away.
REPORTER_ROWS = 15


@dataclass
class ReporterPeriodTodo:
    period: ReportingPeriod
    to_report: list[GridRow]
    drafts: list[GridRow]
    late: bool
    more: int = 0


def reporter_todo(*, user, today: date | None = None) -> list[ReporterPeriodTodo]:
    """Measures of the reporter's units due in open quarters and not yet submitted; drafts saved but not submitted."""
    today = today or timezone.localdate()
    result = []
    for period in _current_quarters(user_organisation_ids(user, {Role.REPORTER}), today=today):
        rows = [row for row in period_grid(user=user, period=period).rows if row.due and not row.submitted]
        to_report = [row for row in rows if row.entry is None]
        result.append(
            ReporterPeriodTodo(
                period=period,
                to_report=to_report[:REPORTER_ROWS],
                drafts=[row for row in rows if row.entry is not None and row.entry.state == EntryState.DRAFT],
                late=today > period.submission_due,
                more=max(0, len(to_report) - REPORTER_ROWS),
            )
        )
    return result


@dataclass
class CommissionTodo:
    reviews: list[tuple[ReportingPeriod, int]] = field(default_factory=list)
    next_meeting: Meeting | None = None


def commission_todo(*, user, today: date | None = None) -> CommissionTodo:
    """Entries to evaluate in the quarters before the commission, and its next meeting."""
    today = today or timezone.localdate()
    organisations = user_organisation_ids(user, {Role.COMMISSION})
    todo = CommissionTodo()
    for period in _current_quarters(organisations, today=today, state=PeriodState.UNDER_REVIEW):
        todo.reviews.append((period, len(period_gaps(period_grid(user=user, period=period)).not_evaluated)))
    todo.next_meeting = (
        Meeting.objects.filter(commission__organisation__in=organisations, held_on__gte=today)
        .select_related("commission__organisation")
        .order_by("held_on", "number")
        .first()
    )
    return todo


MANAGER_PROGRAMS = 5


def manager_todo(*, user, today: date | None = None) -> list[dict]:
    """For the programs being reported on (the five latest): the latest begun quarter's overdue measures and lagging
    units. Programs without periods cost nothing: their quarters are read for all programs in one query."""
    today = today or timezone.localdate()
    organisations = user_organisation_ids(user, {Role.MANAGER})
    quarters: dict[int, list[ReportingPeriod]] = {}
    periods = ReportingPeriod.objects.filter(
        program__organisation__in=organisations, program__status__in=REPORTED_STATUSES, kind=PeriodKind.QUARTER
    ).select_related("program__organisation")
    for period in periods.order_by("-program__start_year", "program__title", "year", "number"):
        quarters.setdefault(period.program_id, []).append(period)
    result = []
    for program_periods in list(quarters.values())[:MANAGER_PROGRAMS]:
        period = default_period(program_periods, today=today)
        program = period.program
        summary = program_summary(user=user, program=program, period=period, today=today)
        result.append(
            {
                "program": program,
                "period": period,
                "overdue": summary["overdue"][:10],
                "overdue_count": len(summary["overdue"]),
                "lagging": summary["units_not_submitted"],
            }
        )
    return result
