"""Writes to the measures of a program. Edits are optimistic-locked; every change is kept by simple_history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext as _

from core.concurrency import delete_unless_refused
from core.history import created_with_lists
from core.updating import model_update
from measures.models import Measure, MeasureSection, MeasureUnit, Task
from measures.places import renumber_places
from programs.models import Program, Unit

# The fields of a measure its form, its serializer and its services share. The service resolves the task (or opens a
# new one) and sets the lists of units and risks itself; the rest are the measure's own columns.
MEASURE_EDITABLE = (
    "task",
    "number",
    "content",
    "stages",
    "deadline_kind",
    "deadline_year",
    "deadline_part",
    "deadline_date",
    "deadline_days",
    "deadline_event",
    "responsible_units",
    "target_audience",
    "indicator",
    "resources",
    "risks",
)
MEASURE_LISTS = ("responsible_units", "risks")


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


def _own_columns() -> tuple[str, ...]:
    return tuple(name for name in MEASURE_EDITABLE if name not in MEASURE_LISTS)


def _columns(data: dict[str, Any], task: Task) -> dict[str, Any]:
    """The measure's own columns from `data`, under the resolved `task` (an event deadline is text: none is "")."""
    columns = {**data, "task": task}
    if "deadline_event" in columns and columns["deadline_event"] is None:
        columns["deadline_event"] = ""
    return columns


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
    with created_with_lists(Measure(task=task, position=position)) as measure:
        model_update(
            instance=measure,
            fields=_own_columns(),
            data=_columns(data, task),
            user=user,
            clean_exclude=MEASURE_LISTS,
        )
        measure_units_set(measure=measure, units=data["responsible_units"])
        measure.risks.set(data.get("risks", []))
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, user, data: dict[str, Any], expected_version: int) -> Measure:
    """Change a measure unless someone saved it after `expected_version` was read."""
    program = measure.task.section.program
    _check_belongs(program=program, data=data)
    model_update(
        instance=measure,
        fields=_own_columns(),
        data=_columns(data, _resolve_task(program=program, data=data)),
        user=user,
        expected_version=expected_version,
        clean_exclude=[*MEASURE_LISTS, "version"],
    )
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
    program = measure.task.section.program
    delete_unless_refused(
        measure,
        user=user,
        check=lambda: measure_delete_check(measure=measure),
        organisation=program.organisation,
        label=f"{measure.label} {measure}".strip(),
    )


# --- sections and tasks of the measures annex ---------------------------------------------------------------------


@transaction.atomic
def measure_section_update(*, section: MeasureSection, number: int, title: str, kind: str) -> MeasureSection:
    """Rename a section, change its kind or its number (a free one)."""
    Program.objects.select_for_update().get(pk=section.program_id)
    if MeasureSection.objects.filter(program_id=section.program_id, number=number).exclude(pk=section.pk).exists():
        raise ValidationError({"number": _("The program already has a section with this number; choose a free one.")})
    section.number, section.title, section.kind = number, title.strip(), kind
    section.full_clean(validate_unique=False, validate_constraints=False)
    section.save()
    return section


@transaction.atomic
def task_add(*, section: MeasureSection, title: str) -> Task:
    """A task at the end of the section, numbered after the last one (what a measure naming a new task does)."""
    MeasureSection.objects.select_for_update().get(pk=section.pk)  # two tasks added at once get two numbers
    if not title.strip():
        raise ValidationError({"title": _("Name the task.")})
    return task_create(section=section, title=title)


@transaction.atomic
def task_update(*, task: Task, title: str) -> Task:
    if not title.strip():
        raise ValidationError({"title": _("Name the task.")})
    task.title = title.strip()
    task.save(update_fields=["title"])
    return task


def _renumber(rows: dict, order: list[int], field: str, message: str, *, program_id: int) -> None:
    """Number `rows` (pk → row) 1, 2, 3 … in `order`, which must name each of them once.

    The numbers are unique per parent, so every row first moves past the highest number in use, then to its place.
    """
    if len(order) != len(set(order)) or set(order) != set(rows):
        raise ValidationError({field: message})
    model = type(next(iter(rows.values()))) if rows else None
    if model is None:
        return
    offset = max(row.number for row in rows.values()) + len(rows)
    for index, pk in enumerate(order, start=1):
        rows[pk].number = offset + index
    model.objects.bulk_update(rows.values(), ["number"])
    for index, pk in enumerate(order, start=1):
        rows[pk].number = index
    model.objects.bulk_update(rows.values(), ["number"])
    # bulk_update sends no post_save: the measures' places in the program order follow here.
    renumber_places(program_id)


@transaction.atomic
def measure_sections_reorder(*, program: Program, order: list[int]) -> list[MeasureSection]:
    """Renumber the program's sections І, ІІ, ІІІ … in the order given (every section once)."""
    Program.objects.select_for_update().get(pk=program.pk)
    sections = {section.pk: section for section in MeasureSection.objects.filter(program=program)}
    message = _("List every section of the program once, in the new order.")
    _renumber(sections, order, "sections", message, program_id=program.pk)
    return [sections[pk] for pk in order]


@transaction.atomic
def tasks_reorder(*, section: MeasureSection, order: list[int]) -> list[Task]:
    """Renumber the section's tasks 1, 2, 3 … in the order given (every task once)."""
    MeasureSection.objects.select_for_update().get(pk=section.pk)
    tasks = {task.pk: task for task in Task.objects.filter(section=section)}
    message = _("List every task of the section once, in the new order.")
    _renumber(tasks, order, "tasks", message, program_id=section.program_id)
    return [tasks[pk] for pk in order]


def _moved(order: list[int], pk: int, number: int) -> list[int]:
    rest = [other for other in order if other != pk]
    rest.insert(max(number, 1) - 1, pk)
    return rest


@transaction.atomic
def measure_section_move(*, section: MeasureSection, number: int) -> list[MeasureSection]:
    """Give the section the `number`-th place; the program's other sections keep their order around it."""
    order = list(MeasureSection.objects.filter(program_id=section.program_id).values_list("pk", flat=True))
    return measure_sections_reorder(program=section.program, order=_moved(order, section.pk, number))


@transaction.atomic
def task_move(*, task: Task, number: int) -> list[Task]:
    """Give the task the `number`-th place in its section; the other tasks keep their order around it."""
    order = list(Task.objects.filter(section_id=task.section_id).values_list("pk", flat=True))
    return tasks_reorder(section=task.section, order=_moved(order, task.pk, number))
