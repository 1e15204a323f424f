"""Filters of the period grid and of the execution-entry API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from measures.models import Measure, MeasureSection
from programs.models import Unit
from reports.choices import EntryState, ExecutionStatus
from reports.execution.models import ExecutionEntry

GRID_STATUS_CHOICES = [*ExecutionStatus.choices, ("missing", _("Due, not reported"))]
SUBMITTED_CHOICES = [("yes", _("Submitted")), ("no", _("Due, not submitted"))]


def _keep(queryset, name, value):
    # Due-ness is computed from the deadline in Python, so these two filter the grid's rows, not the query.
    return queryset


class GridFilterSet(django_filters.FilterSet):
    """Unit and section narrow the measures in the database; status and submission narrow the computed rows."""

    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="responsible_units", queryset=Unit.objects.none(), distinct=True
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Section"), field_name="task__section", queryset=MeasureSection.objects.none()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=GRID_STATUS_CHOICES, method=_keep)
    submitted = django_filters.ChoiceFilter(label=_("Submission"), choices=SUBMITTED_CHOICES, method=_keep)

    class Meta:
        model = Measure
        fields = ["unit", "section", "status", "submitted"]

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        if program is not None:
            self.filters["unit"].queryset = Unit.objects.filter(organisation=program.organisation_id)
            self.filters["section"].queryset = MeasureSection.objects.filter(program=program).order_by("number")


class ExecutionEntryFilterSet(django_filters.FilterSet):
    program = django_filters.NumberFilter(field_name="period__program")
    unit = django_filters.NumberFilter(field_name="measure__responsible_units", distinct=True)
    section = django_filters.NumberFilter(field_name="measure__task__section")
    status = django_filters.ChoiceFilter(choices=ExecutionStatus.choices)
    state = django_filters.ChoiceFilter(choices=EntryState.choices)

    class Meta:
        model = ExecutionEntry
        fields = ["period", "measure", "program", "unit", "section", "status", "state"]
