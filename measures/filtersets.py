"""One FilterSet for measures: the HTML list, the Excel export and the API filter the same way."""

from __future__ import annotations

import re
from datetime import date

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.periods import period_bounds
from measures.deadlines import Deadline, is_due_in
from measures.models import Measure

PERIOD_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[QqHh])(?P<number>[1-4]))?$")


def period_from_code(code: str) -> tuple[date, date] | None:
    """ "2024" → the year, "2024-H1" → a half-year, "2024-Q2" → a quarter; None when the code is not one."""
    match = PERIOD_CODE.match(code.strip())
    if not match:
        return None
    year = int(match["year"])
    kind, number = (match["kind"] or "").upper(), int(match["number"] or 1)
    if kind == "Q":
        return period_bounds("quarter", year, number)
    if kind == "H":
        return period_bounds("half_year", year, number) if number <= 2 else None
    return period_bounds("year", year, 1)


class MeasureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    program = django_filters.NumberFilter(field_name="task__section__program")
    section = django_filters.NumberFilter(field_name="task__section", label=_("Section"))
    task = django_filters.NumberFilter(field_name="task", label=_("Task"))
    unit = django_filters.NumberFilter(field_name="responsible_units", distinct=True, label=_("Responsible unit"))
    risk = django_filters.NumberFilter(field_name="risks", distinct=True, label=_("Risk treated"))
    due_in = django_filters.CharFilter(method="filter_due_in", label=_("Due in the period"))

    class Meta:
        model = Measure
        fields = ["program", "section", "task", "unit", "risk", "deadline_kind"]

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(content__icontains=word)
                | Q(indicator__icontains=word)
                | Q(target_audience__icontains=word)
                | Q(task__title__icontains=word)
            )
        return queryset

    def filter_due_in(self, queryset, name, value):
        """Deadlines are structured, not dates, so "due in" is decided in Python — in one query whatever the size."""
        bounds = period_from_code(value)
        if bounds is None:
            return queryset.none()
        rows = queryset.values_list(
            "pk",
            "deadline_kind",
            "deadline_year",
            "deadline_part",
            "deadline_date",
            "deadline_days",
            "task__section__program__start_year",
            "task__section__program__end_year",
        )
        due = [
            pk
            for pk, kind, year, part, on, days, start, end in rows
            if is_due_in(Deadline(kind=kind, year=year, part=part, on=on, days=days), *bounds, start, end)
        ]
        return queryset.filter(pk__in=due)
