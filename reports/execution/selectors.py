"""Reads of reporting periods, entries and generated reports, scoped to the user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from core.access import Action
from core.periods import PERIOD_READING_ORDER
from programs.models import Organisation, Program
from reports.choices import ReportStatus
from reports.documents.models import CONFIDENTIAL_KINDS, GeneratedReport
from reports.execution.models import ReportingPeriod


def period_list(*, user, program: Program | None = None) -> QuerySet[ReportingPeriod]:
    queryset = ReportingPeriod.objects.restrict(user)
    if program is not None:
        queryset = queryset.filter(program=program)
    return queryset.select_related("program").order_by(*PERIOD_READING_ORDER)


def generated_report_list(*, user, action: Action = Action.VIEW) -> QuerySet[GeneratedReport]:
    return GeneratedReport.objects.restrict(user, action).select_related("program", "period", "organisation")


def publishing_organisations() -> QuerySet[Organisation]:
    """Organisations with at least one published report, with how many: the public index of published reports."""
    ready = Q(reports__is_public=True, reports__status=ReportStatus.READY)
    published = ready & ~Q(reports__kind__in=CONFIDENTIAL_KINDS)
    return (
        Organisation.objects.annotate(published=Count("reports", filter=published))
        .filter(published__gt=0)
        .order_by("name")
    )


def published_report_list(*, organisation: Organisation | None = None) -> QuerySet[GeneratedReport]:
    """Reports an organisation chose to publish; public by definition, journals can never be among them."""
    queryset = GeneratedReport.objects.filter(is_public=True, status=ReportStatus.READY).exclude(
        kind__in=CONFIDENTIAL_KINDS
    )
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.select_related("program", "period", "organisation").order_by("-published_at")
