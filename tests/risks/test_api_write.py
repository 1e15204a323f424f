"""Writing the risk register through /api/v1/risks/: the register's own rules, field by field.

Who may write at all is in the permission matrix of tests/programs/test_api_write.py.
"""

from __future__ import annotations

import pytest

from risks.models import Risk
from tests.conftest import module_world
from tests.factories import UnitFactory, preset_matrix

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

API = "/api/v1/risks/"


@pytest.fixture
def risk(program_content):
    return program_content.risks[0]


def level(program, kind: str, score: int) -> int:
    levels = program.risk_matrix.probabilities if kind == "probability" else program.risk_matrix.consequences
    return levels.get(score=score).pk


def new_risk(target, **changes) -> dict:
    return {
        "program": target.pk,
        "function": "finance",
        "title": "Нецільове використання бюджетних коштів",
        "inherent_probability": level(target, "probability", 3),
        "inherent_consequence": level(target, "consequence", 3),
        **changes,
    }


def test_a_new_risk_takes_the_next_number_and_its_level_from_the_matrix(api, program, other_unit):
    response = api("secretary").post(API, new_risk(program, owner_unit=other_unit.pk), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["owner_unit"], body["inherent_level"], body["version"]) == (
        3,
        other_unit.pk,
        "high",
        1,
    )


def test_a_patch_changes_only_the_sent_fields_and_the_level_follows_the_new_scores(api, program, risk):
    client = api("secretary")
    before = client.get(f"{API}{risk.pk}/").json()
    scores = {
        "residual_probability": level(program, "probability", 1),
        "residual_consequence": level(program, "consequence", 1),
    }

    response = client.patch(f"{API}{risk.pk}/", {"version": risk.version, **scores}, format="json")

    assert response.status_code == 200
    assert response.json() == {**before, **scores, "residual_level": "low", "version": risk.version + 1}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"version": "one", "title": "x"}, "version"),
        ({"title": "Без версії"}, "version"),
        ({"version": 1, "number": 2}, "number"),  # the other risk's number
        ({"version": 1, "number": "two"}, "number"),
        ({"version": 1, "residual_probability": "low-probability"}, "residual_probability"),
        ({"version": 1, "residual_consequence": "consequence"}, "residual_probability"),  # half a residual score
    ],
)
def test_a_bad_update_is_refused_with_the_field_named(api, program, risk, payload, field):
    if payload.get("residual_consequence") == "consequence":
        payload = {**payload, "residual_consequence": level(program, "consequence", 1)}

    response = api("secretary").patch(f"{API}{risk.pk}/", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    risk.refresh_from_db()
    assert risk.version == 1


@pytest.mark.parametrize(
    ("persona", "payload", "field"),
    [
        ("secretary", {"program": 999_999}, "program"),
        ("secretary", {"program": "first"}, "program"),
        ("secretary", {"program": "other program"}, "program"),  # out of the secretary's sight
        ("secretary", {"inherent_probability": "2016 matrix"}, "inherent_probability"),
        ("secretary", {"inherent_consequence": 999_999}, "inherent_consequence"),
        ("secretary", {"inherent_consequence": None}, "inherent_consequence"),
        ("secretary", {"owner_unit": "other body's unit"}, "owner_unit"),  # out of sight: "does not exist"
        ("double_secretary", {"owner_unit": "other body's unit"}, "owner_unit"),  # in sight: the service refuses
        ("secretary", {"residual_probability": "residual"}, "residual_consequence"),
        ("secretary", {"number": 1}, "number"),
        ("secretary", {"number": 0}, "number"),
        ("secretary", {"function": "bribery"}, "function"),
        ("secretary", {"title": ""}, "title"),
        ("secretary", {"title": None}, "title"),
        ("secretary", {"identified_on": "yesterday"}, "identified_on"),
    ],
)
def test_a_bad_new_risk_is_refused_with_the_field_named(
    api, program, other_program, other_organisation, persona, payload, field
):
    replacements = {
        "other program": other_program.pk,
        "2016 matrix": preset_matrix("nazk-2016").probabilities.first().pk,
        "other body's unit": UnitFactory(organisation=other_organisation).pk,
        "residual": level(program, "probability", 1),
    }
    payload = {name: replacements.get(value, value) for name, value in payload.items()}
    before = Risk.objects.count()

    response = api(persona).post(API, new_risk(program, **payload), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert Risk.objects.count() == before


def test_a_new_risk_missing_its_fields_names_each_of_them(api):
    response = api("secretary").post(API, {}, format="json")

    assert response.status_code == 400
    assert {"program", "function", "title", "inherent_probability", "inherent_consequence"} <= set(
        response.json()["fields"]
    )
