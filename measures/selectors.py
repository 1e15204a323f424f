"""Reads of measures, scoped to the user (unit reporters see only their units' measures)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.access import user_scope
from measures.models import Measure, MeasureSection, MeasureUnit
from programs.models import Program
from risks.models import Risk


def measure_list(*, user, program: Program | None = None) -> QuerySet[Measure]:
    queryset = Measure.objects.restrict(user)
    if program is not None:
        queryset = queryset.filter(task__section__program=program)
    return queryset.select_related("task__section__program").prefetch_related(
        Prefetch("unit_links", queryset=MeasureUnit.objects.select_related("unit").order_by("position", "pk")),
        Prefetch("risks", queryset=Risk.objects.only("id", "number", "title", "program_id")),
    )


def reporter_measure_list(*, user) -> QuerySet[Measure]:
    """The measures of the units a user reports for, even when the user also holds a wider role."""
    units = user_scope(user).reporter_units
    own = Measure.objects.filter(responsible_units__in=units).values("pk")
    return measure_list(user=user).filter(pk__in=own)


def measure_sections_with_measures(*, user, program: Program) -> list[MeasureSection]:
    """Sections → tasks → measures of a program as a report shows them, in three queries whatever the size."""
    measures = list(measure_list(user=user, program=program))
    sections = {
        section.pk: section
        for section in MeasureSection.objects.filter(program=program).prefetch_related("tasks").order_by("number")
    }
    by_task: dict[int, list[Measure]] = {}
    for measure in measures:
        by_task.setdefault(measure.task_id, []).append(measure)
    result = []
    for section in sections.values():
        section.visible_tasks = []
        for task in sorted(section.tasks.all(), key=lambda item: item.number):
            task.visible_measures = by_task.get(task.pk, [])
            if task.visible_measures:
                section.visible_tasks.append(task)
        if section.visible_tasks:
            result.append(section)
    return result
