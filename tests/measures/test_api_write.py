"""Writing measures through /api/v1/measures/: tasks, units, risks and deadlines checked as the form checks them.

Who may write at all is in the permission matrix of tests/programs/test_api_write.py.
"""

from __future__ import annotations

import pytest

from measures.models import Measure, Task
from tests.conftest import build_program, module_world
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

API = "/api/v1/measures/"


@pytest.fixture
def measure(program_content):
    return program_content.measures["unit_quarter"]


@pytest.fixture
def sibling(organisation, reporter_unit, other_unit):
    """Another program of the same body: its tasks and risks are in sight but belong elsewhere."""
    return build_program(organisation, [reporter_unit, other_unit], title="Антикорупційна програма на 2026–2028 роки")


def new_measure(target, measure, unit, **changes) -> dict:
    return {
        "program": target.pk,
        "task": measure.task_id,
        "content": "Провести навчання з питань конфлікту інтересів",
        "deadline_kind": "quarter",
        "deadline_part": 2,
        "responsible_units": [unit.pk],
        **changes,
    }


def test_a_measure_can_open_a_new_task_in_a_section_of_the_program(api, program, measure, reporter_unit):
    section = measure.task.section
    payload = new_measure(program, measure, reporter_unit, task=None)

    response = api("secretary").post(
        API, {**payload, "new_task_section": section.pk, "new_task_title": "Нове завдання"}, format="json"
    )

    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["task"])
    assert (task.section, task.title) == (section, "Нове завдання")
    assert response.json()["deadline_phrase"]


def test_a_patch_changes_only_the_sent_fields_and_keeps_units_and_risks(api, measure):
    client = api("secretary")
    before = client.get(f"{API}{measure.pk}/").json()
    history = measure.history.count()

    response = client.patch(
        f"{API}{measure.pk}/", {"version": measure.version, "content": "Новий зміст"}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {**before, "content": "Новий зміст", "version": measure.version + 1}
    assert measure.history.count() == history + 1  # the units and risks, unchanged, wrote no records of their own


def test_a_new_kind_of_deadline_clears_the_fields_the_old_one_used(api, measure):
    response = api("secretary").patch(
        f"{API}{measure.pk}/",
        {"version": measure.version, "deadline_kind": "date", "deadline_date": "2024-05-31"},
        format="json",
    )

    assert response.status_code == 200
    measure.refresh_from_db()
    assert (measure.deadline_kind, measure.deadline_part, str(measure.deadline_date)) == ("date", None, "2024-05-31")


def test_units_and_risks_are_replaced_by_the_sent_lists(api, measure, program_content, other_unit):
    low = program_content.risks[1]

    response = api("secretary").patch(
        f"{API}{measure.pk}/",
        {"version": measure.version, "responsible_units": [other_unit.pk], "risks": [low.pk]},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["responsible_units"], response.json()["risks"]) == ([other_unit.pk], [low.pk])


@pytest.mark.parametrize(
    ("persona", "payload", "field"),
    [
        ("secretary", {"program": "other program"}, "program"),  # another body's, out of sight
        ("secretary", {"program": None}, "program"),
        ("secretary", {"task": "sibling task"}, "task"),  # another program of the same body
        ("secretary", {"task": None}, "task"),  # and no new task named either
        ("secretary", {"task": None, "new_task_section": "sibling section", "new_task_title": "Чуже"}, "task"),
        ("secretary", {"new_task_title": "Нове завдання"}, "new_task_title"),  # an existing task and a new one
        ("secretary", {"responsible_units": []}, "responsible_units"),
        ("secretary", {"responsible_units": "reporter_unit"}, "responsible_units"),  # not a list
        ("secretary", {"responsible_units": ["abc"]}, "responsible_units"),
        ("secretary", {"responsible_units": ["other body's unit"]}, "responsible_units"),  # out of sight
        ("double_secretary", {"responsible_units": ["other body's unit"]}, "responsible_units"),  # the service
        ("secretary", {"risks": ["sibling risk"]}, "risks"),
        ("double_secretary", {"risks": ["other body's risk"]}, "risks"),
        ("secretary", {"deadline_part": None}, "deadline_part"),  # a quarter deadline names its quarter
        ("secretary", {"deadline_part": 5}, "deadline_part"),
        ("secretary", {"deadline_year": 2030}, "deadline_year"),  # the program runs 2023–2025
        ("secretary", {"deadline_kind": "date", "deadline_date": "31.05.2024"}, "deadline_date"),
        ("secretary", {"deadline_kind": "after_event"}, "deadline_days"),
        ("secretary", {"deadline_kind": "someday"}, "deadline_kind"),
        ("secretary", {"number": 1}, "number"),  # the task's measure 1)
        ("secretary", {"content": ""}, "content"),
    ],
)
def test_a_bad_new_measure_is_refused_with_the_field_named(
    api, program, measure, reporter_unit, other_program_content, sibling, persona, payload, field
):
    replacements = {
        "other program": other_program_content.program.pk,
        "sibling task": sibling.measures["unit_quarter"].task_id,
        "sibling section": sibling.measures["unit_quarter"].task.section_id,
        "sibling risk": sibling.risks[0].pk,
        "reporter_unit": reporter_unit.pk,
        "other body's unit": UnitFactory(organisation=other_program_content.program.organisation).pk,
        "other body's risk": other_program_content.risks[0].pk,
    }

    def resolve(value):
        if isinstance(value, list):
            return [replacements.get(item, item) for item in value]
        return replacements.get(value, value) if isinstance(value, str) else value

    before = Measure.objects.count()

    response = api(persona).post(
        API, new_measure(program, measure, reporter_unit, **{k: resolve(v) for k, v in payload.items()}), format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert Measure.objects.count() == before


def test_a_new_measure_missing_its_fields_names_each_of_them(api):
    response = api("secretary").post(API, {}, format="json")

    assert response.status_code == 400
    assert {"program", "content", "deadline_kind", "responsible_units"} <= set(response.json()["fields"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"content": "x"}, "version"),
        ({"version": 1, "responsible_units": []}, "responsible_units"),
        ({"version": 1, "risks": [2**70]}, "risks"),
        ({"version": 1, "task": None}, "task"),
    ],
)
def test_a_bad_update_is_refused_with_the_field_named_and_changes_nothing(api, measure, payload, field):
    response = api("secretary").patch(f"{API}{measure.pk}/", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    measure.refresh_from_db()
    assert measure.version == 1
