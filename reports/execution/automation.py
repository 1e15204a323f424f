"""What happens to reporting periods without anyone asking: quarters open to units on their first day (see
`ReportingPeriod.has_begun`), units are reminded before the due date, and late units again after it.

The worker's scheduler (Celery beat) runs `daily_jobs` every morning; in the embedded default
`manage.py run_daily_jobs` does the same. Each reminder is recorded as a period event with no author and mailed by the
same task as a secretary's reminder, so a rerun on the same day reminds nobody twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import PeriodKind
from core.workdays import working_days_between
from programs.services import REPORTED_STATUSES
from reports.choices import PeriodAction, PeriodState
from reports.execution.grid import period_grid_unrestricted
from reports.execution.models import PeriodEvent, ReportingPeriod
from reports.execution.period_services import reminder_record, units_with_recipients
from reports.permissions import require_keep_period

# Late units are reminded again after this many working days while they still have not submitted.
OVERDUE_REPEAT_WORKING_DAYS = 5


@dataclass
class DailyResult:
    due_soon: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)


@transaction.atomic
def period_open_early(*, user, period: ReportingPeriod) -> ReportingPeriod:
    """The secretary lets units report before the quarter's first day."""
    period = ReportingPeriod.objects.select_for_update(of=("self",)).select_related("program").get(pk=period.pk)
    require_keep_period(user, period)
    if period.state != PeriodState.OPEN or period.has_begun():
        raise ValidationError(_("%(period)s is already open to units.") % {"period": period})
    period.opened_early_on = timezone.localdate()
    period.save(update_fields=["opened_early_on"])
    PeriodEvent.objects.create(period=period, action=PeriodAction.OPENED_EARLY, by=user)
    return period


def _remind(period: ReportingPeriod, action: str) -> PeriodEvent | None:
    """Record an automatic reminder to the units of `period` that have not submitted and have somebody to mail."""
    outstanding = [item.unit for item in period_grid_unrestricted(period=period).not_submitted]
    reachable = units_with_recipients(outstanding)
    units = [unit for unit in outstanding if unit.pk in reachable]
    if not units:
        return None
    return reminder_record(period=period, action=action, units=units)


def _last(period: ReportingPeriod, action: str) -> date | None:
    event = period.events.filter(action=action).order_by("-at").first()
    return timezone.localdate(event.at) if event else None


@transaction.atomic
def periods_remind(*, today: date | None = None) -> DailyResult:
    """Remind units of the open quarters of programs in force: once when the due date is `reminder_days_before`
    working days away or closer, and every few working days once it has passed."""
    today = today or timezone.localdate()
    result = DailyResult()
    periods = ReportingPeriod.objects.filter(
        state=PeriodState.OPEN, kind=PeriodKind.QUARTER, program__status__in=REPORTED_STATUSES
    ).select_related("program")
    latest_overdue: dict[int, ReportingPeriod] = {}
    for period in periods:
        if not period.has_begun(today):
            continue
        due = period.submission_due
        if today > due:
            # Of a program's overdue quarters only the latest is mailed about: older ones stay listed in the grid.
            known = latest_overdue.get(period.program_id)
            if known is None or due > known.submission_due:
                latest_overdue[period.program_id] = period
            continue
        if working_days_between(today, due) > period.program.reminder_days_before:
            continue
        if _last(period, PeriodAction.AUTO_REMINDED) is None and _remind(period, PeriodAction.AUTO_REMINDED):
            result.due_soon.append(period.pk)
    for period in latest_overdue.values():
        last = _last(period, PeriodAction.OVERDUE_REMINDED)
        if last is not None and working_days_between(last, today) < OVERDUE_REPEAT_WORKING_DAYS:
            continue
        if _remind(period, PeriodAction.OVERDUE_REMINDED):
            result.overdue.append(period.pk)
    return result
