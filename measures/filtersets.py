"""One FilterSet for measures: the HTML list, the Excel export and the API filter the same way."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.periods import PeriodKind, period_bounds, period_label
from measures.deadlines import Deadline, is_due_in
from measures.models import Measure, MeasureSection, Task
from programs.filtersets import requested_programs
from programs.models import Program, Unit
from risks.models import Risk

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


def period_choices(program: Program) -> list[tuple[str, str]]:
    """The years, half-years and quarters of the program, as `due_in` codes."""
    choices = [("", "—")]
    for year in program.years:
        choices.append((str(year), period_label(PeriodKind.YEAR, year, 1)))
        choices += [(f"{year}-H{half}", period_label(PeriodKind.HALF_YEAR, year, half)) for half in (1, 2)]
        choices += [(f"{year}-Q{quarter}", period_label(PeriodKind.QUARTER, year, quarter)) for quarter in (1, 2, 3, 4)]
    return choices


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

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, program=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # The filters are changed, never the form: the form is built on first use, after the API's backend has made
        # its number filters refuse what is not a whole number (core.api.filtering.tighten).
        self.filters["deadline_kind"].label = _("Kind of deadline")
        programs = requested_programs(self.data, request, program)
        if programs is not None:
            self._offer_choices_of(programs, program)

    def _offer_choices_of(self, programs: QuerySet[Program], program: Program | None) -> None:
        """One program's measures: its sections, tasks, units and risks are offered by name, its periods by code.
        The lists are read when the form is drawn, never for an API answer."""
        blank = [("", "—")]

        def offer(name: str, options: Callable[[], list[tuple]]) -> None:
            self.filters[name].extra["widget"] = forms.Select(choices=CallableChoiceIterator(lambda: blank + options()))

        def sections() -> list[tuple]:
            return [(s.pk, f"{s.number}. {s.title}") for s in MeasureSection.objects.filter(program__in=programs)]

        def tasks() -> list[tuple]:
            found = Task.objects.filter(section__program__in=programs).select_related("section")
            return [
                (t.pk, f"{t.section.number}.{t.number}. {t.title[:80]}")
                for t in found.order_by("section__number", "number")
            ]

        def units() -> list[tuple]:
            found = Unit.objects.filter(organisation__in=programs.values("organisation")).order_by("abbreviation")
            return [(u.pk, u.abbreviation) for u in found]

        def risks() -> list[tuple]:
            found = Risk.objects.filter(program__in=programs).order_by("number")
            return [(r.pk, f"№ {r.number}. {r.title[:80]}") for r in found]

        def periods() -> list[tuple]:
            named = program or programs.first()
            return period_choices(named)[1:] if named is not None else []

        offer("section", sections)
        offer("task", tasks)
        offer("unit", units)
        offer("risk", risks)
        offer("due_in", periods)

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
