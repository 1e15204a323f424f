"""Sections and tasks of the measures annex over the API: create, rename, move; the secretary's, in scope only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.choices import SectionKind
from measures.models import MeasureSection, Task
from tests.factories import MeasureSectionFactory, TaskFactory

pytestmark = pytest.mark.django_db

SECTIONS = "/api/v1/measure-sections/"
TASKS = "/api/v1/tasks/"


def numbers(model, **lookup) -> list[tuple[str, int]]:
    return list(model.objects.filter(**lookup).order_by("number").values_list("title", "number"))


def test_the_secretary_adds_a_section_and_a_task_under_it(api, program):
    client = api("secretary")

    section = client.post(
        SECTIONS,
        {"program": program.pk, "number": 3, "title": "Заходи з поширення інформації", "kind": SectionKind.TRAINING},
        format="json",
    )
    task = client.post(TASKS, {"section": section.json()["id"], "title": "  Оприлюднення звітів  "}, format="json")
    second = client.post(TASKS, {"section": section.json()["id"], "title": "Роз’яснення"}, format="json")

    assert section.status_code == 201
    assert task.status_code == 201
    assert (task.json()["number"], task.json()["title"]) == (1, "Оприлюднення звітів")
    assert second.json()["number"] == 2


def test_a_section_number_in_use_is_refused_next_to_the_number(api, program):
    response = api("secretary").post(SECTIONS, {"program": program.pk, "number": 1, "title": "Дубль"}, format="json")

    assert response.status_code == 400
    assert "number" in response.json()["fields"]


@pytest.mark.parametrize("persona", ["reporter", "commission", "manager", "officer"])
def test_readers_of_the_program_cannot_add_or_rename_sections_and_tasks(api, program, persona):
    client = api(persona)
    section = program.measure_sections.get(number=1)
    task = section.tasks.first()

    assert client.post(SECTIONS, {"program": program.pk, "number": 5, "title": "x"}, format="json").status_code == 403
    assert client.post(TASKS, {"section": section.pk, "title": "x"}, format="json").status_code == 403
    assert client.patch(f"{SECTIONS}{section.pk}/", {"title": "x"}, format="json").status_code == 403
    assert client.patch(f"{TASKS}{task.pk}/", {"title": "x"}, format="json").status_code == 403
    assert client.post(f"{TASKS}{task.pk}/move/", {"number": 1}, format="json").status_code == 403


def test_another_bodys_sections_and_tasks_are_not_found_and_cannot_be_named(api, other_program):
    client = api("secretary")
    section = other_program.measure_sections.get(number=1)
    task = section.tasks.first()

    assert client.get(f"{SECTIONS}{section.pk}/").status_code == 404
    assert client.patch(f"{TASKS}{task.pk}/", {"title": "x"}, format="json").status_code == 404
    assert client.post(f"{SECTIONS}{section.pk}/move/", {"number": 2}, format="json").status_code == 404
    created = client.post(TASKS, {"section": section.pk, "title": "x"}, format="json")
    assert created.status_code == 400
    assert "section" in created.json()["fields"]
    assert not Task.objects.filter(title="x").exists()


def test_renaming_a_section_keeps_what_was_not_sent(api, program):
    section = program.measure_sections.get(number=2)

    response = api("secretary").patch(f"{SECTIONS}{section.pk}/", {"title": "Навчання"}, format="json")

    assert response.status_code == 200
    section.refresh_from_db()
    assert (section.title, section.number, section.kind) == ("Навчання", 2, SectionKind.TRAINING)


def test_moving_a_task_renumbers_the_section_in_the_new_order(api, program):
    section = program.measure_sections.get(number=1)
    TaskFactory(section=section, number=2, title="Друге")
    third = TaskFactory(section=section, number=3, title="Третє")

    response = api("secretary").post(f"{TASKS}{third.pk}/move/", {"number": 1}, format="json")

    assert response.status_code == 200
    assert [task["title"] for task in response.json()] == [
        "Третє",
        "Усунення ризиків в управлінні персоналом",
        "Друге",
    ]
    assert numbers(Task, section=section) == [
        ("Третє", 1),
        ("Усунення ризиків в управлінні персоналом", 2),
        ("Друге", 3),
    ]
    # The measures stay with their tasks.
    assert third.measures.count() == 0
    assert section.tasks.get(number=2).measures.count() == 3


def test_moving_a_section_last_renumbers_the_others(api, program):
    first = program.measure_sections.get(number=1)

    response = api("secretary").post(f"{SECTIONS}{first.pk}/move/", {"number": 9}, format="json")

    assert response.status_code == 200
    assert numbers(MeasureSection, program=program) == [
        ("Програма антикорупційних навчань", 1),
        ("Заходи щодо усунення корупційних ризиків", 2),
    ]


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [SECTIONS, TASKS])
def test_the_lists_cost_as_many_queries_for_many_rows_as_for_few(api, program, url, django_assert_max_num_queries):
    client = api("secretary")
    baseline = queries_of(client, url)
    for number in range(3, 43):
        TaskFactory(section=MeasureSectionFactory(program=program, number=number), number=1)

    with django_assert_max_num_queries(baseline):
        response = client.get(url)

    assert response.json()["count"] >= 42
