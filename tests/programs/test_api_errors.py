"""Every error of the API has one body — a code, a message in the request's language, field errors — and the schema
documents it for every operation."""

from __future__ import annotations

import json

import pytest

from tests.conftest import module_world

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())

API = "/api/v1"
SHAPE = {"code", "message", "fields"}


def _request(client, method: str, path: str, language: str, **kwargs):
    return getattr(client, method)(path, HTTP_ACCEPT_LANGUAGE=language, **kwargs)


# Each refusal in each language: (status, code, a word of the message in uk / ru / en).
REFUSALS = [
    ("invalid", 400, "invalid", {"uk": "Запит не прийнято", "ru": "Запрос не принят", "en": "not accepted"}),
    (
        "forbidden",
        403,
        "permission_denied",
        {"uk": "Панель моніторингу", "ru": "Панель мониторинга", "en": "dashboard"},
    ),
    ("not-found", 404, "not_found", {"uk": "Не знайдено", "ru": "не найден", "en": "Not found"}),
    ("no-route", 404, "not_found", {"uk": "Не знайдено", "ru": "не найден", "en": "Not found"}),
    ("method", 405, "method_not_allowed", {"uk": "DELETE", "ru": "DELETE", "en": "DELETE"}),
    ("media-type", 415, "unsupported_media_type", {"uk": "text/plain", "ru": "text/plain", "en": "text/plain"}),
]


def _refusal(kind: str, client, content, language: str):
    program = content.program
    if kind == "invalid":
        return _request(client, "post", f"{API}/units/", language, data={"name": ""}, content_type="application/json")
    if kind == "forbidden":
        return _request(client, "get", f"{API}/dashboard/summary/", language, data={"program": program.pk})
    if kind == "not-found":
        return _request(client, "get", f"{API}/programs/999999999/", language)
    if kind == "no-route":
        return _request(client, "get", f"{API}/programs/1.2/3/", language)
    if kind == "method":
        return _request(client, "delete", f"{API}/programs/{program.pk}/", language)
    return _request(client, "post", f"{API}/units/", language, data="name=x", content_type="text/plain")


@pytest.mark.parametrize("language", ["uk", "ru", "en"])
@pytest.mark.parametrize(("kind", "status", "code", "words"), REFUSALS, ids=[row[0] for row in REFUSALS])
def test_every_refusal_has_the_one_error_body_in_the_language_of_the_request(
    api, program_content, reporter, secretary, language, kind, status, code, words
):
    # The reporter may not open the dashboard; the secretary does everything else.
    client = api("reporter" if kind == "forbidden" else "secretary")

    response = _refusal(kind, client, program_content, language)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= SHAPE
    assert body["code"] == code
    assert words[language] in body["message"]


@pytest.mark.parametrize(
    ("language", "message"),
    [("uk", "Це поле не може бути порожнім."), ("ru", "Это поле не может быть пустым."), ("en", "may not be blank")],
)
def test_field_errors_name_the_field_with_a_message_and_a_code(api, organisation, secretary, language, message):
    response = api("secretary").post(
        f"{API}/units/",
        {"organisation": organisation.pk, "name": "", "abbreviation": "УП"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    [error] = response.json()["fields"]["name"]
    assert error["code"] == "blank"
    assert message in error["message"]


def test_a_rule_of_the_portal_is_an_error_with_the_code_rule(api, program_content, secretary):
    entry = program_content.entries["unit_quarter"]
    client = api("secretary")
    client.post(f"{API}/execution-entries/{entry.pk}/submit/", {"version": entry.version}, format="json")
    entry.refresh_from_db()

    response = client.post(f"{API}/execution-entries/{entry.pk}/submit/", {"version": entry.version}, format="json")

    assert response.status_code == 400
    assert response.json()["message"] == "Цей запис уже подано."
    assert response.json()["fields"]["non_field_errors"][0]["code"] == "rule"


def test_a_stale_version_is_a_conflict_with_the_one_body(api, program_content, secretary):
    risk = program_content.risks[0]
    client = api("secretary")
    url = f"{API}/risks/{risk.pk}/"
    assert client.patch(url, {"version": risk.version, "process": "Перша"}, format="json").status_code == 200

    response = client.patch(url, {"version": risk.version, "process": "Друга"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["fields"] == {}


@pytest.fixture
def schema(api, secretary) -> dict:
    response = api("secretary").get(f"{API}/schema/", {"format": "json"})
    return json.loads(response.content)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_the_schema_documents_the_error_body_for_every_error_answer_of_every_operation(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == SHAPE
    undocumented = []
    for path, method, operation in _operations(schema):
        answers = operation["responses"]
        if "403" not in answers:
            undocumented.append(f"{method} {path} 403")
        if "{" in path and "404" not in answers:
            undocumented.append(f"{method} {path} 404")
        if "requestBody" in operation and not {"400", "415"} <= set(answers):
            undocumented.append(f"{method} {path} 400/415")
        for status, answer in answers.items():
            if status.startswith("4"):
                schema_of = answer.get("content", {}).get("application/json", {}).get("schema")
                if schema_of != {"$ref": "#/components/schemas/Error"}:
                    undocumented.append(f"{method} {path} {status} body")
    assert undocumented == []


def test_every_post_documents_the_idempotency_key_and_its_answers(schema):
    posts = [(path, operation) for path, method, operation in _operations(schema) if method == "post"]
    assert len(posts) >= 8
    for path, operation in posts:
        headers = {parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "header"}
        assert "Idempotency-Key" in headers, path
        assert {"409", "422"} <= set(operation["responses"]), path


def test_the_patch_of_an_execution_entry_documents_its_writable_fields_and_requires_the_version(schema):
    operation = schema["paths"]["/api/v1/execution-entries/{id}/"]["patch"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]

    writable = {name for name, field in body["properties"].items() if not field.get("readOnly")}
    assert writable == {"version", "status", "narrative", "participants", "non_execution_reasons", "next_steps"}
    assert body["required"] == ["version"]
    assert "409" in operation["responses"]
