"""Reads of reporting periods, entries and generated reports, scoped to the user."""

from __future__ import annotations

from django.db.models import QuerySet

from programs.models import Program

from .models import GeneratedReport, ReportingPeriod


def period_list(*, user, program: Program | None = None) -> QuerySet[ReportingPeriod]:
    queryset = ReportingPeriod.objects.restrict(user)
    if program is not None:
        queryset = queryset.filter(program=program)
    return queryset.select_related("program").order_by("year", "kind", "number")


def generated_report_list(*, user) -> QuerySet[GeneratedReport]:
    return GeneratedReport.objects.restrict(user).select_related("program", "period", "organisation")
