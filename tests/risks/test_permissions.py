"""Every register and measures URL × every persona → the status that persona must get."""

import pytest
from django.urls import reverse

from tests.conftest import module_world

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

READERS = ["secretary", "commission", "manager", "officer", "admin_user", "parent_secretary", "superuser"]
# A parent body reads its children's programs but changes only its own.
EDITORS = {"secretary", "admin_user", "superuser"}
PERSONAS = [*READERS, "reporter", "outsider", "anonymous"]


def risk_urls(program, risk):
    return {
        "risks:list": reverse("risks:list", args=[program.pk]),
        "risks:heatmap": reverse("risks:heatmap", args=[program.pk]),
        "risks:export": reverse("risks:export", args=[program.pk]),
        "risks:detail": reverse("risks:detail", args=[program.pk, risk.pk]),
        "risks:create": reverse("risks:create", args=[program.pk]),
        "risks:update": reverse("risks:update", args=[program.pk, risk.pk]),
    }


def measure_urls(program, measure):
    return {
        "measures:list": reverse("measures:list", args=[program.pk]),
        "measures:export": reverse("measures:export", args=[program.pk]),
        "measures:detail": reverse("measures:detail", args=[program.pk, measure.pk]),
        "measures:create": reverse("measures:create", args=[program.pk]),
        "measures:update": reverse("measures:update", args=[program.pk, measure.pk]),
        "measures:import": reverse("measures:import", args=[program.pk]),
        "measures:import-template": reverse("measures:import-template", args=[program.pk]),
    }


def expected_risk_status(persona, name):
    if persona == "anonymous":
        return 302
    if persona in ("outsider", "reporter"):
        return 404  # another organisation, or a role that never sees the register
    if name in ("risks:create", "risks:update"):
        return 200 if persona in EDITORS else 403
    return 200


def expected_measure_status(persona, name):
    if persona == "anonymous":
        return 302
    if persona == "outsider":
        return 404
    if name in ("measures:create", "measures:update", "measures:import", "measures:import-template"):
        return 200 if persona in EDITORS else 403
    return 200


RISK_NAMES = ["risks:list", "risks:heatmap", "risks:export", "risks:detail", "risks:create", "risks:update"]
MEASURE_NAMES = [
    "measures:list",
    "measures:export",
    "measures:detail",
    "measures:create",
    "measures:update",
    "measures:import",
    "measures:import-template",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", RISK_NAMES)
def test_each_persona_gets_the_expected_status_on_each_register_page(login, program_content, persona, name):
    url = risk_urls(program_content.program, program_content.risks[0])[name]

    response = login(persona).get(url)

    assert response.status_code == expected_risk_status(persona, name)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", MEASURE_NAMES)
def test_each_persona_gets_the_expected_status_on_each_measures_page(login, program_content, persona, name):
    # The reporter's unit answers for this measure, so the reporter may read it but not change it.
    url = measure_urls(program_content.program, program_content.measures["unit_quarter"])[name]

    response = login(persona).get(url)

    assert response.status_code == expected_measure_status(persona, name)


def test_a_reporter_does_not_see_the_measure_of_another_unit(login, program_content):
    other = program_content.measures["other_half"]
    url = reverse("measures:detail", args=[program_content.program.pk, other.pk])

    assert login("reporter").get(url).status_code == 404


def test_a_risk_is_not_reachable_through_another_program_of_the_same_user(login, program_content, other_program):
    url = reverse("risks:detail", args=[program_content.program.pk, program_content.risks[0].pk])
    wrong = reverse("risks:detail", args=[other_program.pk, program_content.risks[0].pk])

    client = login("secretary")
    assert client.get(url).status_code == 200
    assert client.get(wrong).status_code == 404


def test_a_reader_cannot_post_a_change_to_a_risk(login, program_content):
    risk = program_content.risks[0]
    url = reverse("risks:update", args=[program_content.program.pk, risk.pk])

    response = login("commission").post(url, {"title": "Змінено", "version": risk.version})

    assert response.status_code == 403
    risk.refresh_from_db()
    assert risk.title != "Змінено"


def test_the_import_preview_of_another_user_is_not_found(login, program_content, secretary, admin_user):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    token = "a" * 32
    path = f"imports/measures/{program_content.program.pk}/{secretary.pk}/{token}.xlsx"
    default_storage.save(path, ContentFile(b"x"))
    try:
        url = reverse("measures:import-preview", args=[program_content.program.pk, token])
        assert login("admin_user").get(url).status_code == 404
        assert login("outsider").get(url).status_code == 404
    finally:
        default_storage.delete(path)
