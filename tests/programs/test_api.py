"""The REST API under /api/v1/: the same scoping as the HTML pages, token sign-in, the schema and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import module_world
from tests.factories import OrganisationFactory, ProgramFactory, RiskFactory, UnitFactory, bulk_measures

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

ENDPOINTS = ["organisations", "units", "programs", "risks", "measures"]
ALL = dict.fromkeys(ENDPOINTS, 200)
EXPECTED_DETAIL = {
    "secretary": ALL,
    "commission": ALL,
    "manager": ALL,
    "officer": ALL,
    "admin_user": ALL,
    "parent_secretary": ALL,
    "reporter": {**ALL, "risks": 404},
    "outsider": dict.fromkeys(ENDPOINTS, 404),
}
MATRIX = [(persona, endpoint, status) for persona, row in EXPECTED_DETAIL.items() for endpoint, status in row.items()]
UNAUTHENTICATED = (401,)


@pytest.fixture
def objects(program_content, organisation, reporter_unit):
    """One object of the territorial body for each endpoint; the measure belongs to the reporter's unit."""
    return {
        "organisations": organisation,
        "units": reporter_unit,
        "programs": program_content.program,
        "risks": program_content.risks[0],
        "measures": program_content.measures["unit_quarter"],
    }


def list_ids(response) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize(("persona", "endpoint", "status"), MATRIX, ids=[f"{p}-{e}" for p, e, _ in MATRIX])
def test_each_persona_reads_the_organisations_objects_only_within_scope(api, objects, persona, endpoint, status):
    client = api(persona)
    obj = objects[endpoint]

    detail = client.get(f"/api/v1/{endpoint}/{obj.pk}/")
    listing = client.get(f"/api/v1/{endpoint}/")

    assert detail.status_code == status
    assert listing.status_code == 200
    assert (obj.pk in list_ids(listing)) is (status == 200)
    if status == 200:
        assert detail.json()["id"] == obj.pk


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_is_refused_on_every_endpoint(api, objects, endpoint):
    client = api("anonymous")

    assert client.get(f"/api/v1/{endpoint}/").status_code in UNAUTHENTICATED
    assert client.get(f"/api/v1/{endpoint}/{objects[endpoint].pk}/").status_code in UNAUTHENTICATED


@pytest.mark.parametrize("endpoint", ["programs", "risks", "measures"])
def test_the_outsider_lists_only_the_objects_of_their_own_organisation(api, objects, other_program_content, endpoint):
    own = {
        "programs": {other_program_content.program.pk},
        "risks": {risk.pk for risk in other_program_content.risks},
        "measures": other_program_content.measure_ids(),
    }[endpoint]

    assert list_ids(api("outsider").get(f"/api/v1/{endpoint}/")) == own


def test_a_reporter_gets_404_for_a_measure_of_another_unit(api, program_content):
    other = program_content.measures["other_half"]

    assert api("reporter").get(f"/api/v1/measures/{other.pk}/").status_code == 404
    assert api("secretary").get(f"/api/v1/measures/{other.pk}/").status_code == 200


def test_the_measure_api_gives_the_deadline_as_a_phrase(api, program_content):
    measure = program_content.measures["other_training"]

    data = api("secretary").get(f"/api/v1/measures/{measure.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert data["deadline_phrase"] == "Within 10 working days before the event"
    assert data["deadline_days"] == 10


def test_the_risk_api_gives_the_level_computed_from_the_matrix(api, program_content):
    high, low = program_content.risks

    client = api("secretary")

    assert client.get(f"/api/v1/risks/{high.pk}/").json()["inherent_level"] == "high"
    assert client.get(f"/api/v1/risks/{low.pk}/").json()["inherent_level"] == "low"


# Organisations, units and programs are never deleted; a risk or a measure only while nothing refers to it, and these
# two are in use (the risk is treated by measures, the measure reported on): tests/*/test_delete.py.
DELETE_STATUS = {"organisations": 405, "units": 405, "programs": 405, "risks": 400, "measures": 400}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_api_deletes_no_organisation_unit_or_program_and_no_risk_or_measure_in_use(api, objects, endpoint):
    obj = objects[endpoint]

    response = api("superuser").delete(f"/api/v1/{endpoint}/{obj.pk}/")

    assert response.status_code == DELETE_STATUS[endpoint]
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_token_signs_in_to_the_api(program, secretary):
    token = Token.objects.create(user=secretary)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get(f"/api/v1/programs/{program.pk}/")

    assert response.status_code == 200
    assert response.json()["title"] == program.title


def test_a_token_of_another_organisation_gets_404(program, outsider):
    token = Token.objects.create(user=outsider)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get(f"/api/v1/programs/{program.pk}/").status_code == 404
    assert program.pk not in list_ids(client.get("/api/v1/programs/"))


def test_an_unknown_token_is_refused(program):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    assert client.get(f"/api/v1/programs/{program.pk}/").status_code in UNAUTHENTICATED


def test_the_openapi_schema_is_served_to_a_signed_in_user(api):
    response = api("secretary").get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for endpoint in ENDPOINTS:
        assert f"/api/v1/{endpoint}/" in paths
        assert f"/api/v1/{endpoint}/{{id}}/" in paths


# --- query counts ------------------------------------------------------------------------------------------------


def grow(endpoint: str, count: int, program_content, organisation, units) -> None:
    program = program_content.program
    if endpoint == "organisations":
        OrganisationFactory.create_batch(count, parent=organisation)
    elif endpoint == "units":
        UnitFactory.create_batch(count, organisation=organisation)
    elif endpoint == "programs":
        ProgramFactory.create_batch(count, organisation=organisation)
    elif endpoint == "risks":
        RiskFactory.create_batch(count, program=program, residual_probability_score=1, residual_consequence_score=1)
    else:
        bulk_measures(program, units, count)


def count_queries(client, url: str) -> tuple[int, int]:
    client.get(url)  # warm up once-per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()["count"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_list_endpoint_costs_as_many_queries_for_45_rows_as_for_5(
    api, program_content, organisation, reporter_unit, other_unit, endpoint, django_assert_num_queries
):
    client = api("secretary")
    url = f"/api/v1/{endpoint}/"
    units = [reporter_unit, other_unit]
    grow(endpoint, 3, program_content, organisation, units)
    small, small_count = count_queries(client, url)

    grow(endpoint, 40, program_content, organisation, units)
    with django_assert_num_queries(small):
        response = client.get(url)

    assert response.json()["count"] == small_count + 40
    assert len(response.json()["results"]) == min(small_count + 40, 50)


def test_the_reporters_measure_list_costs_as_many_queries_for_45_rows_as_for_5(
    api, program_content, reporter_unit, other_unit, django_assert_num_queries
):
    client = api("reporter")
    url = "/api/v1/measures/"
    bulk_measures(program_content.program, [reporter_unit, other_unit], 6)
    small, small_count = count_queries(client, url)

    bulk_measures(program_content.program, [reporter_unit, other_unit], 80)
    with django_assert_num_queries(small):
        response = client.get(url)

    assert response.json()["count"] == small_count + 40
