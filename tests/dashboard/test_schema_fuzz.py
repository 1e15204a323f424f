"""Schemathesis over the whole /api/v1/ schema: whatever the parameters, the API never answers with a 5xx.

Bounded and deterministic: a fixed number of examples per operation, derandomised, no example database. Every read
and every write is fuzzed, except report requests, which start rendering in the worker.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12


def _schema(client):
    # The schema as the API serves it at /api/v1/schema/ (some serializers need the request to build it).
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return schemathesis.openapi.from_dict(json.loads(response.content))


def _fuzzed(operation) -> bool:
    method = operation.method.upper()
    if method in ("GET", "HEAD"):
        return True
    return not operation.path.startswith("/api/v1/reports/")


def _request(client, case):
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    path = urlsplit(kwargs["url"]).path
    query = urlencode(kwargs.get("params") or {}, doseq=True)
    body = kwargs.get("json")
    return client.generic(
        kwargs["method"],
        f"{path}?{query}" if query else path,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
    )


def test_the_schema_endpoint_describes_the_whole_api(login, secretary):
    assert login("secretary").get("/api/v1/schema/", {"format": "json"}).status_code == 200


def test_no_operation_of_the_api_answers_with_a_server_error(login, program_content, whistleblower_records, secretary):
    client = login("secretary")
    schema = _schema(client)
    operations = [result.ok() for result in schema.get_all_operations()]
    fuzzed = [operation for operation in operations if _fuzzed(operation)]
    assert any("/dashboard/summary/" in operation.path for operation in fuzzed)
    assert {"POST /api/v1/measures/", "PATCH /api/v1/programs/{id}/"} <= {
        f"{operation.method.upper()} {operation.path}" for operation in fuzzed
    }
    failures: list[str] = []
    statuses: list[int] = []

    def fuzz(operation) -> None:
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = _request(client, case)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{operation.method.upper()} {operation.path}: {response.status_code}")

        check()

    for operation in fuzzed:
        fuzz(operation)

    assert failures == []
    assert len(statuses) >= 3 * len(fuzzed)
    assert 200 in statuses
    assert 400 in statuses
