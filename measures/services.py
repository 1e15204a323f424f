"""Writes to the measures of a program. Edits are optimistic-locked; every change is kept by simple_history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext as _

from programs.concurrency import delete_unless_refused, save_if_unchanged
from programs.models import Program, Unit

from .models import Measure, MeasureSection, MeasureUnit, Task

FIELDS = (
    "number",
    "content",
    "stages",
    "deadline_kind",
    "deadline_year",
    "deadline_part",
    "deadline_date",
    "deadline_days",
    "deadline_event",
    "target_audience",
    "indicator",
    "resources",
)


def _check_belongs(*, program: Program, data: dict[str, Any]) -> None:
    """Tasks, units and risks of another program or organisation are refused, whatever the form let through."""
    task = data.get("task")
    if task is not None and task.section.program_id != program.pk:
        raise ValidationError({"task": _("Choose a task of this program.")})
    if any(unit.organisation_id != program.organisation_id for unit in data.get("responsible_units", [])):
        raise ValidationError({"responsible_units": _("Choose units of the program's organisation.")})
    if any(risk.program_id != program.pk for risk in data.get("risks", [])):
        raise ValidationError({"risks": _("Choose risks of this program's register.")})
    if not data.get("responsible_units"):
        raise ValidationError({"responsible_units": _("Choose at least one responsible unit.")})


def task_create(*, section: MeasureSection, title: str) -> Task:
    number = (Task.objects.filter(section=section).aggregate(top=Max("number"))["top"] or 0) + 1
    return Task.objects.create(section=section, number=number, title=title.strip())


def _resolve_task(*, program: Program, data: dict[str, Any]) -> Task:
    if data.get("task"):
        return data["task"]
    section = data.get("new_task_section")
    if section is None or section.program_id != program.pk or not (data.get("new_task_title") or "").strip():
        raise ValidationError({"task": _("Choose the task of the measure, or name a new task and its section.")})
    return task_create(section=section, title=data["new_task_title"])


def measure_units_set(*, measure: Measure, units: list[Unit]) -> None:
    """Make `units` the measure's responsible units in this order (the first is the lead unit, as the program lists
    them); nothing is written when the list is already so."""
    wanted = list(dict.fromkeys(unit.pk for unit in units))
    current = list(
        MeasureUnit.objects.filter(measure=measure).order_by("position", "pk").values_list("unit", flat=True)
    )
    if current == wanted:
        return
    MeasureUnit.objects.filter(measure=measure).delete()
    MeasureUnit.objects.bulk_create(
        MeasureUnit(measure=measure, unit_id=pk, position=position) for position, pk in enumerate(wanted, start=1)
    )
    # bulk_create sends no m2m signal: this one lets simple_history record the new list, as `.set()` would.
    m2m_changed.send(
        sender=MeasureUnit,
        instance=measure,
        action="post_add",
        reverse=False,
        model=Unit,
        pk_set=set(wanted),
        using=measure._state.db,
    )
    if hasattr(measure, "_prefetched_objects_cache"):
        measure._prefetched_objects_cache.pop("responsible_units", None)
        measure._prefetched_objects_cache.pop("unit_links", None)


def _apply(measure: Measure, data: dict[str, Any]) -> None:
    for name in FIELDS:
        if name in data:
            value = data[name]
            setattr(measure, name, "" if value is None and name == "deadline_event" else value)


@transaction.atomic
def measure_section_create(*, program: Program, number: int, title: str, kind: str) -> MeasureSection:
    """A section of the measures annex (І. Заходи щодо усунення корупційних ризиків, ІІ. Навчання …): a new
    program's first measure needs one."""
    Program.objects.select_for_update().get(pk=program.pk)  # two secretaries adding «section 1» at once
    if MeasureSection.objects.filter(program=program, number=number).exists():
        raise ValidationError({"number": _("The program already has a section with this number; choose a free one.")})
    return MeasureSection.objects.create(program=program, number=number, title=title.strip(), kind=kind)


@transaction.atomic
def measure_create(*, program: Program, user, data: dict[str, Any]) -> Measure:
    """Add a measure to a task of the program (a new task when the data names one) with its units and risks."""
    _check_belongs(program=program, data=data)
    task = _resolve_task(program=program, data=data)
    position = (Measure.objects.filter(task=task).aggregate(top=Max("position"))["top"] or 0) + 1
    measure = Measure(task=task, position=position)
    _apply(measure, data)
    measure._history_user = user
    measure.full_clean(exclude=["responsible_units", "risks"])
    measure.save()
    measure_units_set(measure=measure, units=data["responsible_units"])
    measure.risks.set(data.get("risks", []))
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, user, data: dict[str, Any], expected_version: int) -> Measure:
    """Change a measure unless someone saved it after `expected_version` was read."""
    program = measure.task.section.program
    _check_belongs(program=program, data=data)
    measure.task = _resolve_task(program=program, data=data)
    _apply(measure, data)
    measure._history_user = user
    measure.full_clean(exclude=["responsible_units", "risks", "version"])
    save_if_unchanged(measure, expected_version=expected_version)
    # m2m changes are recorded as history rows of their own; only touch them when they changed.
    measure_units_set(measure=measure, units=data["responsible_units"])
    if set(measure.risks.all()) != set(data.get("risks", [])):
        measure.risks.set(data.get("risks", []))
    return measure


def measure_delete_check(*, measure: Measure) -> None:
    """Refuse, as `measure_delete` would, a measure units have reported on: the report history must stay."""
    if measure.entries.exists():
        raise ValidationError(
            _(
                "This measure cannot be deleted: units have already reported on its execution, and those reports "
                "must be kept. Edit the measure instead if it needs correcting."
            )
        )


@transaction.atomic
def measure_delete(*, measure: Measure, user) -> None:
    """Delete a measure entered by mistake with its links to units and risks; its history keeps the deletion."""
    delete_unless_refused(measure, user=user, check=lambda: measure_delete_check(measure=measure))
