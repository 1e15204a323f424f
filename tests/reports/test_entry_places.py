"""Each measure's stored place in its program's order (measures.places), and its entries' copy of it, follow every
write that moves the order: the entries list sorts on them (issue 21). Table-driven over each way the order moves,
through the services the pages and the API call, the model's own save (the admin, the factories) and the imports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from core.periods import PeriodKind
from measures.excel import HEADERS, measure_import, parse_workbook
from measures.models import Measure, MeasureSection, Task
from measures.services import (
    measure_create,
    measure_delete,
    measure_section_move,
    measure_section_update,
    measure_sections_reorder,
    measure_update,
    task_move,
    tasks_reorder,
)
from reports.execution.models import ExecutionEntry, ReportingPeriod
from tests.factories import MeasureFactory, TaskFactory

pytestmark = pytest.mark.django_db


def places_in_order(program) -> list[tuple[int, int]]:
    """(measure, place) in the program order, as Measure.Meta.ordering sorts."""
    return list(Measure.objects.filter(task__section__program=program).values_list("pk", "place"))


def assert_places_follow_the_order(program) -> None:
    rows = places_in_order(program)
    places = [place for _pk, place in rows]
    assert all(place >= 1 for place in places), rows
    assert places == sorted(places), rows
    assert len(set(places)) == len(places), rows
    stored = dict(rows)
    entries = ExecutionEntry.objects.filter(period__program=program).values_list("measure_id", "measure_place")
    assert entries, "the world has entries"
    assert dict(entries) == {measure: stored[measure] for measure, _ in entries}


def data_of(measure: Measure, **changes) -> dict:
    """A measure's editable data as its form gives it to the services, with `changes`."""
    return {
        "task": measure.task,
        "number": measure.number,
        "content": measure.content,
        "stages": measure.stages,
        "deadline_kind": measure.deadline_kind,
        "deadline_year": measure.deadline_year,
        "deadline_part": measure.deadline_part,
        "deadline_date": measure.deadline_date,
        "deadline_days": measure.deadline_days,
        "deadline_event": measure.deadline_event,
        "responsible_units": list(measure.responsible_units.all()),
        "target_audience": measure.target_audience,
        "indicator": measure.indicator,
        "resources": measure.resources,
        "risks": list(measure.risks.all()),
        **changes,
    }


def first_task(program) -> Task:
    return Task.objects.filter(section__program=program).order_by("section__number", "number").first()


def last_task(program) -> Task:
    return Task.objects.filter(section__program=program).order_by("section__number", "number").last()


def sections(program) -> list[MeasureSection]:
    return list(MeasureSection.objects.filter(program=program).order_by("number"))


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_into_the_first_section(world) -> None:
    program = world.program
    rows = [
        [
            "І. Заходи щодо усунення корупційних ризиків",
            "2. Нове завдання першого розділу",
            "1) Перший новий захід",
            "І квартал",
            "УП",
        ],
        [None, None, "2) Другий новий захід", "ІІ квартал", "УП"],
    ]
    preview = parse_workbook(workbook(rows), program=program)
    assert preview.ok, (preview.errors, [row.errors for row in preview.rows])
    measure_import(program=program, user=world.secretary, preview=preview, versions=preview.versions)
    assert Measure.objects.filter(task__title="Нове завдання першого розділу").count() == 2


def create_in_the_first_task(world) -> None:
    """A measure added by its service to the first task: every place after it moves."""
    program, template = world.program, world.measures["unit_quarter"]
    measure_create(program=program, user=world.secretary, data=data_of(template, task=first_task(program), number=None))


def update_moving_to_the_last_task(world) -> None:
    measure = first_measure(world.program)
    measure_update(
        measure=measure,
        user=world.secretary,
        data=data_of(measure, task=last_task(world.program), number=500),
        expected_version=measure.version,
    )


def update_renumbering(world) -> None:
    measure = first_measure(world.program)
    measure_update(
        measure=measure, user=world.secretary, data=data_of(measure, number=900), expected_version=measure.version
    )


def save_moving_the_position(world) -> None:
    """The model's own save, as the admin does it."""
    measure = first_measure(world.program)
    siblings = Measure.objects.filter(task=measure.task).exclude(pk=measure.pk)
    assert siblings.exists(), "the first task has more than one measure"
    measure.position = max(sibling.position for sibling in siblings) + 1
    measure.save()


def factory_measure_in_the_first_task(world) -> None:
    MeasureFactory(task=first_task(world.program), content="Новий захід першого завдання")


def second_task_with_a_measure(program) -> Task:
    """A second task of the first section, with a measure: it follows the first task's measures."""
    section = sections(program)[0]
    task = TaskFactory(section=section, number=2, title="Друге завдання")
    MeasureFactory(task=task, content="Захід другого завдання")
    return Task.objects.get(pk=task.pk)


def move_a_task(world) -> None:
    task_move(task=second_task_with_a_measure(world.program), number=1)


def reorder_tasks(world) -> None:
    section = second_task_with_a_measure(world.program).section
    tasks = list(Task.objects.filter(section=section).order_by("number"))
    tasks_reorder(section=section, order=[task.pk for task in reversed(tasks)])


def move_a_section(world) -> None:
    last = sections(world.program)[-1]
    measure_section_move(section=last, number=1)


def reorder_sections(world) -> None:
    found = sections(world.program)
    measure_sections_reorder(program=world.program, order=[section.pk for section in reversed(found)])


def renumber_a_section(world) -> None:
    first, *rest = sections(world.program)
    top = max(section.number for section in rest)
    measure_section_update(section=first, number=top + 1, title=first.title, kind=first.kind)


def rename_a_task_number_by_save(world) -> None:
    """A task's number changed by its own save (the admin): its measures move with it."""
    second_task_with_a_measure(world.program)
    task = first_task(world.program)
    task.number = 50
    task.save()


def delete_a_measure_without_entries(world) -> None:
    measure = MeasureFactory(task=first_task(world.program), number=77, position=0, content="Помилковий захід")
    measure_delete(measure=Measure.objects.get(pk=measure.pk), user=world.secretary)


def first_measure(program) -> Measure:
    return Measure.objects.filter(task__section__program=program).first()


def order_of(program) -> list[int]:
    return [pk for pk, _place in places_in_order(program)]


@pytest.mark.parametrize(
    "write",
    [
        create_in_the_first_task,
        update_moving_to_the_last_task,
        update_renumbering,
        save_moving_the_position,
        factory_measure_in_the_first_task,
        move_a_task,
        reorder_tasks,
        move_a_section,
        reorder_sections,
        renumber_a_section,
        rename_a_task_number_by_save,
        delete_a_measure_without_entries,
        import_into_the_first_section,
    ],
    ids=lambda write: write.__name__,
)
def test_places_follow_every_write_that_moves_the_program_order(world_with_entries, write):
    program = world_with_entries.program
    assert_places_follow_the_order(program)
    before = order_of(program)

    write(world_with_entries)

    assert_places_follow_the_order(program)
    if write is not delete_a_measure_without_entries:
        assert order_of(program) != before, "the write moved the order"


def test_an_entry_created_from_a_stale_measure_object_takes_the_stored_place(world_with_entries):
    program = world_with_entries.program
    held = Measure.objects.filter(task__section__program=program).last()  # loaded before the order moves
    create_in_the_first_task(world_with_entries)
    period = ReportingPeriod.objects.create(
        program=program,
        kind=PeriodKind.HALF_YEAR,
        year=program.start_year,
        number=1,
        submission_due=dt.date(program.start_year, 7, 15),
    )

    entry = ExecutionEntry.objects.create(measure=held, period=period, status="in_progress")

    stored = Measure.objects.get(pk=held.pk).place
    assert stored != held.place
    assert ExecutionEntry.objects.get(pk=entry.pk).measure_place == stored
    assert_places_follow_the_order(program)


def test_the_entries_list_follows_a_reordered_program(api, secretary, world_with_entries):
    program = world_with_entries.program
    reorder_sections(world_with_entries)
    period = program.periods.filter(entries__isnull=False).order_by(*program.periods.model._meta.ordering).first()

    listed = api("secretary").get("/api/v1/execution-entries/", {"period": period.pk}).json()["results"]

    expected = [
        entry.pk
        for entry in ExecutionEntry.objects.filter(period=period).order_by(
            "measure__task__section__number", "measure__task__number", "measure__position", "measure__number"
        )
    ]
    assert [row["id"] for row in listed] == expected


@pytest.fixture
def world_with_entries(program_content, secretary):
    """The standard program with an entry of each of its measures in its first two periods."""
    program = program_content.program
    periods = list(program.periods.order_by("year", "kind", "number")[:2])
    for measure in Measure.objects.filter(task__section__program=program):
        for period in periods:
            ExecutionEntry.objects.get_or_create(measure=measure, period=period, defaults={"status": "in_progress"})
    program_content.secretary = secretary
    return program_content
