"""What an API client is told about execution entries, evidence and report filters: answers it can act on and
values the schema allows, no more and no less."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reports.execution.models import Evidence, ExecutionEntry
from tests.factories import GeneratedReportFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/execution-entries/"


def test_creating_an_entry_that_exists_is_a_conflict_that_names_it_and_says_to_patch_it(api, program_content):
    entry = program_content.entries["unit_quarter"]
    before = (entry.version, entry.narrative)

    response = api("secretary").post(
        API,
        {"measure": entry.measure_id, "period": entry.period_id, "version": 0, "status": "done", "narrative": "Нове"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "exists"
    assert body["existing"] == {"id": entry.pk, "url": f"{API}{entry.pk}/"}
    assert f"already exists (no. {entry.pk}). Change it with PATCH {API}{entry.pk}/" in body["message"]
    assert "reload" not in body["message"].lower()
    entry.refresh_from_db()
    assert (entry.version, entry.narrative) == before


def test_creating_an_entry_that_exists_with_its_current_version_does_not_overwrite_it(api, program_content):
    # Before, version 0 of a never-edited entry matched the stored version and the POST silently replaced it.
    entry = program_content.entries["other_half"]
    ExecutionEntry.objects.filter(pk=entry.pk).update(version=0)

    response = api("secretary").post(
        API,
        {"measure": entry.measure_id, "period": entry.period_id, "version": 0, "status": "done", "narrative": "x"},
        format="json",
    )

    assert response.status_code == 409
    assert ExecutionEntry.objects.get(pk=entry.pk).narrative == entry.narrative


def test_a_create_needs_the_measure_and_the_period(api, program_content):
    response = api("secretary").post(API, {"version": 0, "status": "done"}, format="json")

    assert response.status_code == 400
    assert {"measure", "period"} <= set(response.json()["fields"])


def test_a_patch_with_the_documented_fields_changes_the_entry(api, program_content):
    entry = program_content.entries["unit_quarter"]

    response = api("secretary").patch(
        f"{API}{entry.pk}/", {"version": entry.version, "participants": 14}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["participants"] == 14


@pytest.mark.parametrize(
    ("body", "as_json", "status"),
    [
        ({"participants": "14"}, True, 400),  # text where JSON has a number: the schema's integer refuses it
        ({"participants": 14.5}, True, 400),
        ({"participants": True}, True, 400),
        ({"participants": "14"}, False, 200),  # a form carries text only: its digits are the number
        ({"participants": "чотирнадцять"}, False, 400),
    ],
    ids=["json-text", "json-fraction", "json-boolean", "form-digits", "form-words"],
)
def test_a_whole_number_is_taken_as_json_writes_it_or_as_a_form_writes_it(api, program_content, body, as_json, status):
    entry = program_content.entries["unit_quarter"]
    version = entry.version if as_json else str(entry.version)

    response = api("secretary").patch(
        f"{API}{entry.pk}/",
        {"version": version, **body},
        **({"format": "json"} if as_json else {"format": "multipart"}),
    )

    assert response.status_code == status, response.content[:300]
    entry.refresh_from_db()
    assert (entry.participants == 14) is (status == 200)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"unit": "0.5"}, "unit"),
        ({"program": "1.5"}, "program"),
        ({"section": "x"}, "section"),
    ],
)
def test_an_entry_filter_that_is_not_a_whole_number_is_refused(api, program_content, query, field):
    response = api("secretary").get(API, query)

    assert response.status_code == 400
    assert field in response.json()["fields"]


@pytest.mark.parametrize(
    ("path", "field", "status"),
    [
        ("/api/v1/meetings/", "held_on", 400),  # the schema's date format refuses an empty text
        ("/api/v1/organisations/", "parent", 400),  # an object's id: an integer
        ("/api/v1/execution-entries/", "program", 400),  # a number
        ("/api/v1/reports/", "program", 400),
        ("/api/v1/execution-entries/", "status", 200),  # a choice's enum lists the empty text: no filter
        ("/api/v1/programs/", "q", 200),  # a text may be empty
    ],
)
def test_a_typed_filter_named_without_a_value_is_refused(api, program_content, path, field, status):
    response = api("secretary").get(f"{path}?{field}=")

    assert response.status_code == status, response.content
    if status == 400:
        assert field in response.json()["fields"]


@pytest.mark.parametrize("value", ["null", "maybe", "2"])
def test_a_report_filter_that_is_neither_true_nor_false_is_refused(api, organisation, secretary, value):
    GeneratedReportFactory(organisation=organisation)

    response = api("secretary").get("/api/v1/reports/", {"is_public": value})

    assert response.status_code == 400
    assert response.json()["fields"]["is_public"][0]["code"] == "invalid"


@pytest.mark.parametrize(("value", "count"), [("true", 0), ("false", 1), ("", 1)])
def test_a_report_filter_that_is_true_or_false_filters(api, organisation, secretary, value, count):
    GeneratedReportFactory(organisation=organisation, is_public=False)

    response = api("secretary").get("/api/v1/reports/", {"is_public": value})

    assert response.status_code == 200
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://dmsu.gov.ua/diyalnist/zapobigannya-koruptsiyi.html", 201),
        ("https://xn--b1ae2a.xn--j1amh/%D0%B7%D0%B2%D1%96%D1%82", 201),
        ("https://мвс.укр/звіт", 400),  # Django's check accepted it; the documented pattern does not
        ("https://dmsu.gov.ua/a b", 400),
        ("javascript:alert(1)", 400),
        ("ftp://dmsu.gov.ua/file", 400),
    ],
)
def test_an_evidence_address_is_accepted_exactly_when_the_documented_pattern_allows_it(
    api, program_content, url, status
):
    entry = program_content.entries["unit_quarter"]
    before = Evidence.objects.filter(entry=entry).count()

    response = api("secretary").post(f"{API}{entry.pk}/evidence/", {"kind": "web_page", "url": url}, format="json")

    assert response.status_code == status
    assert Evidence.objects.filter(entry=entry).count() == before + (status == 201)
    if status == 400:
        assert response.json()["fields"]["url"][0]["code"] == "invalid"


def test_an_evidence_address_saved_by_a_page_with_cyrillic_letters_is_read_as_documented(api, program_content):
    entry = program_content.entries["unit_quarter"]
    Evidence.objects.filter(entry=entry).update(kind="web_page", url="https://мвс.укр/звіт")

    response = api("secretary").get(f"{API}{entry.pk}/")
    schema = api("secretary").get("/api/v1/schema/", {"format": "json"}).json()

    assert response.json()["evidence"][0]["url"] == "https://мвс.укр/звіт"
    # The read shape promises a string, not the `uri` format such an address breaks.
    assert "format" not in schema["components"]["schemas"]["Evidence"]["properties"]["url"]


@pytest.mark.django_db(transaction=True)
def test_two_clients_creating_the_same_entry_at_once_get_one_entry_and_one_exists_answer(
    token_api, program_content, secretary
):
    measure, period = program_content.measures["unit_year"], program_content.periods[0]
    first = token_api(secretary)
    second = APIClient()
    second.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=secretary).key}")
    clients = [first, second]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def create(client) -> None:
        start.wait()
        try:
            payload = {"measure": measure.pk, "period": period.pk, "version": 0, "status": "done", "narrative": "x"}
            statuses.append(client.post(API, payload, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201, 409]
    assert ExecutionEntry.objects.filter(measure=measure, period=period).count() == 1
