"""The schema's examples and the API's real answers validate against the schema, checked with `jsonschema` itself
(independently of schemathesis): every read of every resource, as the secretary and as the officer, with ids taken
from the lists, so endpoints added later are read too."""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest

pytestmark = pytest.mark.django_db


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class Contract:
    def __init__(self, schema: dict):
        self.schema = schema
        self.components = _json_schema(copy.deepcopy(schema["components"]))

    def validate(self, instance, schema: dict) -> None:
        root = {**_json_schema(schema), "components": self.components}
        jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker()).validate(instance)

    def answer_schema(self, path: str, method: str, status: int) -> dict | None:
        answers = self.schema["paths"][path][method]["responses"]
        content = answers.get(str(status), {}).get("content", {})
        return content.get("application/json", {}).get("schema")

    def examples(self):
        """(where, example, schema) of every example the schema carries, of bodies, answers and parameters."""
        for path, item in self.schema["paths"].items():
            for method, operation in item.items():
                places = [*operation.get("parameters", [])]
                places += list(operation.get("requestBody", {}).get("content", {}).values())
                for answer in operation.get("responses", {}).values():
                    places += list(answer.get("content", {}).values())
                for place in places:
                    found = [place["example"]] if "example" in place else []
                    found += [example["value"] for example in place.get("examples", {}).values() if "value" in example]
                    for example in found:
                        yield f"{method} {path}", example, place["schema"]


@pytest.fixture
def contract(api, secretary) -> Contract:
    return Contract(json.loads(api("secretary").get("/api/v1/schema/", {"format": "json"}).content))


def test_every_example_of_the_schema_validates_against_its_schema(contract):
    for where, example, schema in contract.examples():
        try:
            contract.validate(example, schema)
        except jsonschema.ValidationError as error:
            pytest.fail(f"{where}: {error.message}")


@pytest.mark.parametrize("persona", ["secretary", "officer"])
def test_every_read_answers_what_the_schema_documents(api, contract, persona, program_content, whistleblower_records):
    client = api(persona)
    lists = {
        path: operation
        for path, item in contract.schema["paths"].items()
        for method, operation in item.items()
        if method == "get" and "{" not in path and contract.answer_schema(path, "get", 200) is not None
    }
    details = [
        path
        for path, item in contract.schema["paths"].items()
        if "get" in item and re.fullmatch(r".*/\{id\}/", path) and contract.answer_schema(path, "get", 200)
    ]
    read = 0
    ids: dict[str, int] = {}
    for path in lists:
        query = {"program": program_content.program.pk} if path.startswith("/api/v1/dashboard/") else {}
        if path.endswith("/organisations/") and "dashboard" in path:
            query = {"organisation": program_content.program.organisation.parent_id, "year": 2023}
        response = client.get(path, query)
        if response.status_code != 200:
            continue  # a role refused (403), documented as such
        contract.validate(response.json(), contract.answer_schema(path, "get", 200))
        read += 1
        results = response.json().get("results") if isinstance(response.json(), dict) else None
        if results:
            ids[path] = results[0]["id"]
    for path in details:
        listed = path.replace("{id}/", "")
        if listed not in ids:
            continue
        response = client.get(path.replace("{id}", str(ids[listed])))
        assert response.status_code == 200, path
        contract.validate(response.json(), contract.answer_schema(path, "get", 200))
        read += 1

    assert read >= 10


def test_the_error_answers_validate_against_the_error_component(api, contract, program_content, secretary):
    client = api("secretary")
    refusals = [
        ("/api/v1/units/", "post", 400, client.post("/api/v1/units/", {}, format="json")),
        ("/api/v1/programs/{id}/", "get", 404, client.get("/api/v1/programs/999999999/")),
        ("/api/v1/execution-entries/", "get", 400, client.get("/api/v1/execution-entries/", {"unit": "0.5"})),
    ]
    for path, method, status, response in refusals:
        assert response.status_code == status
        contract.validate(response.json(), contract.answer_schema(path, method, status))
