"""Writes to reporting periods. (Report documents: reports/documents/services.py.)"""

from __future__ import annotations

from django.db import transaction

from core.periods import PeriodKind, period_bounds, period_reported, submission_due
from programs.models import Program
from reports.execution.models import ReportingPeriod

PERIOD_NUMBERS = {PeriodKind.QUARTER: (1, 2, 3, 4), PeriodKind.HALF_YEAR: (1, 2), PeriodKind.YEAR: (1,)}


@transaction.atomic
def reporting_periods_create(*, program: Program) -> list[ReportingPeriod]:
    """Quarters, half-years and years of every program year from its entry into force (`period_reported`);
    existing periods are kept as they are."""
    periods = []
    for year in program.years:
        for kind, numbers in PERIOD_NUMBERS.items():
            for number in numbers:
                ends_on = period_bounds(kind, year, number)[1]
                if not period_reported(ends_on=ends_on, in_force_on=program.in_force_on):
                    continue
                period, _created = ReportingPeriod.objects.get_or_create(
                    program=program,
                    kind=kind,
                    year=year,
                    number=number,
                    defaults={"submission_due": submission_due(ends_on, program.submission_due_days)},
                )
                periods.append(period)
    return periods
