"""The Word import over the API (`POST /api/v1/programs/{id}/word-import/`): the page's preview, corrections and
all-or-nothing import, for another system."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures.models import Measure
from programs.models import ProgramSection, Unit
from risks.models import Risk
from tests.factories import MeasureFactory
from tests.measures.test_word_import import draft, seed_file  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db


def post(client, program, **data):
    return client.post(f"/api/v1/programs/{program.pk}/word-import/", data, format="multipart")


def _written(program) -> tuple[int, int, int]:
    return (
        ProgramSection.objects.filter(program=program).count(),
        Measure.objects.filter(task__section__program=program).count(),
        Risk.objects.filter(program=program).count(),
    )


def test_a_preview_names_the_unreadable_cell_and_writes_nothing(api, draft):  # noqa: F811
    response = post(api("secretary"), draft, file=seed_file(deadlines={1: "щотижня"}))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is False
    assert body["imported"] is None
    assert body["measures"] == {"new": 8, "changed": 0, "unchanged": 0, "unreadable": 1}
    assert body["risks"]["new"] == 2
    assert set(body["new_units"]) == {"ВПЗВК", "ДІТЗІ"}
    [row] = body["unreadable"]
    [cell] = row["cells"]
    assert cell["text"] == "щотижня"
    assert cell["key"].endswith(".deadline")
    assert _written(draft) == (0, 0, 0)


def test_an_import_with_an_unreadable_cell_is_refused_then_the_correction_imports_everything(api, draft):  # noqa: F811
    client = api("secretary")
    refused = post(client, draft, file=seed_file(deadlines={1: "щотижня"}), **{"import": "true"})

    assert refused.status_code == 400
    assert refused.json()["code"] == "unreadable"
    assert _written(draft) == (0, 0, 0)
    key = refused.json()["preview"]["unreadable"][0]["cells"][0]["key"]

    done = post(
        client,
        draft,
        file=seed_file(deadlines={1: "щотижня"}),
        corrections=json.dumps({key: "ІІ квартал"}),
        **{"import": "true"},
    )

    assert done.status_code == 200, done.content
    assert done.json()["imported"] == {
        "sections": 4,
        "risks": 2,
        "measures_created": 9,
        "measures_updated": 0,
        "units": 2,
    }
    assert _written(draft) == (4, 9, 2)
    assert Unit.objects.filter(organisation=draft.organisation, abbreviation="ВПЗВК").exists()


def test_an_import_against_a_stale_preview_is_a_conflict_and_writes_nothing(api, draft):  # noqa: F811
    client = api("secretary")
    post(client, draft, file=seed_file(), **{"import": "true"})
    preview = post(client, draft, file=seed_file()).json()
    measure = Measure.objects.filter(task__section__program=draft).order_by("pk").last()
    Measure.objects.filter(pk=measure.pk).update(version=measure.version + 1, indicator="Змінено іншим")

    response = post(client, draft, file=seed_file(), versions=json.dumps(preview["versions"]), **{"import": "true"})

    assert response.status_code == 409
    assert Measure.objects.get(pk=measure.pk).indicator == "Змінено іншим"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "file"),
        ({"file": SimpleUploadedFile("program.docx", b"not a zip")}, "file"),
        ({"corrections": "{not json"}, "corrections"),
        ({"corrections": json.dumps({"../../etc": "x"})}, "corrections"),
        ({"corrections": json.dumps(["t1r1.deadline"])}, "corrections"),
        ({"versions": json.dumps({"measures": {"1": "x"}})}, "versions"),
        ({"import": "maybe"}, "import"),
    ],
    ids=[
        "no file",
        "not a docx",
        "corrections not json",
        "a key naming no cell",
        "corrections a list",
        "versions malformed",
        "import not a boolean",
    ],
)
def test_bad_input_is_a_field_error_in_ukrainian_and_nothing_is_written(api, draft, data, field):  # noqa: F811
    data = {"file": seed_file(), **data} if field != "file" else data

    response = api("secretary").post(
        f"/api/v1/programs/{draft.pk}/word-import/", data, format="multipart", HTTP_ACCEPT_LANGUAGE="uk"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert _written(draft) == (0, 0, 0)


def test_the_measures_of_another_program_are_not_touched(api, draft, organisation):  # noqa: F811
    other = MeasureFactory(task__section__program__organisation=organisation)

    post(api("secretary"), draft, file=seed_file(), **{"import": "true"})

    other.refresh_from_db()
    assert other.task.section.program_id != draft.pk
    assert Measure.objects.filter(task__section__program=other.task.section.program).count() == 1
