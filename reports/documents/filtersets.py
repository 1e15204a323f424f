"""Filters of the generated-reports list: one FilterSet for the page and the API, so both offer and accept the same."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.access import Action
from core.periods import PERIOD_READING_ORDER
from programs.filtersets import visible_organisations
from programs.models import Organisation, Program
from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.execution.models import ReportingPeriod


class GeneratedReportFilterSet(django_filters.FilterSet):
    """Which document, in which state and format, of which body, program and period. The body, program and period
    offered — and accepted: another one is refused as unknown, on the page and over the API — are only those the
    user may see."""

    kind = django_filters.ChoiceFilter(label=_("Report"), choices=ReportKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    program = django_filters.ModelChoiceFilter(label=_("Program"), queryset=Program.objects.none())
    period = django_filters.ModelChoiceFilter(label=_("Period"), queryset=ReportingPeriod.objects.none())
    organisation = django_filters.ModelChoiceFilter(label=_("Organisation"), queryset=Organisation.objects.none())
    format = django_filters.ChoiceFilter(label=_("Format"), choices=ReportFormat.choices)
    is_public = django_filters.BooleanFilter(label=_("Published"))

    class Meta:
        model = GeneratedReport
        fields = ["kind", "status", "program", "period", "organisation", "format", "is_public"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user if request is not None else None
        programs = Program.objects.restrict(user, Action.VIEW).order_by("-start_year", "title")
        self.filters["program"].queryset = programs
        periods = ReportingPeriod.objects.restrict(user, Action.VIEW).select_related("program")
        self.filters["period"].queryset = periods.order_by("program__title", *PERIOD_READING_ORDER)
        self.filters["organisation"].queryset = visible_organisations(request)
