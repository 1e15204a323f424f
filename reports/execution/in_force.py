"""Correcting the date a program came into force, and with it which reporting periods exist.

The date is set once, when the program first comes into force (programs.services.program_transition), from the
document that made it effective. Mistyped or guessed, it leaves the body reporting quarters it never ran (a later
true date) or missing quarters it did run (an earlier one), and every deadline, reminder and dashboard follows it.
The secretary corrects it here, with a reason kept in the program's history: quarters an earlier date brings in are
opened; quarters a later date leaves out are removed only while nobody has recorded anything in them (open, no
entries, no report documents, no commission decisions, no residual assessments); the rest stay, and are named, so
nothing anyone typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import save_if_unchanged
from core.periods import period_reported
from programs.models import AgendaItem, Program
from programs.services import REPORTED_STATUSES
from reports.choices import PeriodState
from reports.documents.models import GeneratedReport
from reports.execution.models import ExecutionEntry, ReportingPeriod
from reports.execution.periods_create import reporting_periods_create


@dataclass
class InForceCorrection:
    program: Program
    opened: list[ReportingPeriod] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[ReportingPeriod] = field(default_factory=list)


def _holding_records(periods: list[ReportingPeriod]) -> set[int]:
    """Which of `periods` someone has recorded anything in (reminder notes sent for them do not count), in one
    query."""
    residual = apps.get_model("risks", "ResidualAssessment")
    held = (
        ~Q(state=PeriodState.OPEN)
        | Exists(ExecutionEntry.objects.filter(period=OuterRef("pk")))
        | Exists(GeneratedReport.objects.filter(period=OuterRef("pk")))
        | Exists(AgendaItem.objects.filter(period=OuterRef("pk")))
        | Exists(residual.objects.filter(period=OuterRef("pk")))
    )
    return set(
        ReportingPeriod.objects.filter(held, pk__in=[period.pk for period in periods]).values_list("pk", flat=True)
    )


def in_force_date_problems(*, program: Program, in_force_on: date | None, today: date) -> dict[str, str]:
    """What is wrong with a new entry-into-force date, by field; empty when it can be recorded."""
    if program.status not in REPORTED_STATUSES:
        return {"__all__": _("Only a program in force (or under revision) has a date of entry into force to correct.")}
    if in_force_on is None:
        return {"in_force_on": _("Enter the date the program came into force.")}
    if in_force_on > today:
        return {"in_force_on": _("The program is in force already: the date cannot be in the future.")}
    if in_force_on.year > program.end_year:
        return {
            "in_force_on": _("The date falls after the program's last year (%(year)s).") % {"year": program.end_year}
        }
    return {}


@transaction.atomic
def program_in_force_correct(
    *, program: Program, user, in_force_on: date | None, reason: str, expected_version: int | None
) -> InForceCorrection:
    """Record the corrected date and bring the program's reporting periods in line with it."""
    problems = in_force_date_problems(program=program, in_force_on=in_force_on, today=timezone.localdate())
    if not (reason or "").strip():
        problems["reason"] = _("Explain why the date changes, so that readers of the history understand it.")
    if in_force_on is not None and in_force_on == program.in_force_on and "in_force_on" not in problems:
        problems["in_force_on"] = _("This is the date already recorded.")
    if problems:
        raise ValidationError(problems)
    program.in_force_on = in_force_on
    program._change_reason = reason.strip()
    program._history_user = user
    program = save_if_unchanged(program, expected_version=expected_version, fields=["in_force_on"])
    correction = InForceCorrection(program=program)
    periods = program.periods.select_for_update().order_by("year", "kind", "number")
    leaving = [period for period in periods if not period_reported(ends_on=period.ends_on, in_force_on=in_force_on)]
    held = _holding_records(leaving)
    for period in leaving:
        if period.pk in held:
            correction.kept.append(period)
        else:
            correction.removed.append(str(period))
            period.delete()
    existing = set(program.periods.values_list("pk", flat=True))
    correction.opened = [period for period in reporting_periods_create(program=program) if period.pk not in existing]
    return correction
