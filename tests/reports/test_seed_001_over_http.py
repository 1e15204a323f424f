"""Seed 001 entered by another system over HTTP (issue 14, quality bar), then its execution report rendered by the real
worker and downloaded.

Only the organisation and its administrator are made without HTTP (a factory, and `manage.py drf_create_token` as
docs/api.md says); everything else — units, the program and its lifecycle, sections, tasks, measures, the 2023
statuses with their documents, the report request, polling and the download — goes through the live server's
/api/v1/, with the token, as a ministry's own system would.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from core.roles import Role
from demo import dms, dms_measures
from risks.presets import ensure_presets
from tests.conftest import member
from tests.factories import OrganisationFactory
from tests.worker import celery_worker, require_real_stack, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


class Http:
    """JSON over HTTP with a token, as an integrator's script does it; a refusal fails the test with its body."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base.rstrip("/"), token
        self.calls = 0

    def __call__(self, method: str, path: str, data: dict | None = None, *, raw: bool = False):
        body = json.dumps(data, default=str).encode() if data is not None else None
        request = urllib.request.Request(f"{self.base}/api/v1/{path}", data=body, method=method)
        request.add_header("Authorization", f"Token {self.token}")
        request.add_header("Accept-Language", "uk")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        self.calls += 1
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                content = response.read()
                return (response, content) if raw else json.loads(content or b"null")
        except urllib.error.HTTPError as error:
            pytest.fail(f"{method} {path} → {error.code}: {error.read().decode()[:2000]}")


def pdf_text(content: bytes) -> str:
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\u2010 ", "").replace("\u2010", "")


def identifying_parts(item: dict) -> list[str]:
    """What names the document in the report: its number and date, or its title or link."""
    parts = []
    if item.get("number"):
        parts.append(f"№ {item['number']}")
    if item.get("issued_on"):
        parts.append(item["issued_on"].strftime("%d.%m.%Y"))
    if not parts:
        parts.append(item.get("url") or item.get("title", ""))
    return [part for part in parts if part]


def enter_seed_001(api: Http, organisation_id: int, admin_id: int) -> tuple[int, int]:
    """Everything of seed 001 through the API; returns (program id, the 2023 period id)."""
    # The administrator keeps the program too: the secretary's role, given over the API like any other role.
    api("POST", "memberships/", {"organisation": organisation_id, "user": admin_id, "role": Role.SECRETARY})
    units = {}
    for abbreviation, name in dms.UNITS:
        unit = api("POST", "units/", {"organisation": organisation_id, "abbreviation": abbreviation, "name": name})
        units[abbreviation] = unit["id"]
    matrix = api("GET", f"risk-matrices/?code={dms.RISK_MATRIX}")["results"][0]
    program = api(
        "POST",
        "programs/",
        {
            "organisation": organisation_id,
            "title": dms.PROGRAM["title"],
            "start_year": 2023,
            "end_year": 2025,
            "risk_matrix": matrix["id"],
        },
    )
    for section in dms_measures.SEED_SECTIONS:
        created = api(
            "POST",
            "measure-sections/",
            {"program": program["id"], "number": section["number"], "title": section["title"], "kind": section["kind"]},
        )
        for task in section["tasks"]:
            made = api("POST", "tasks/", {"section": created["id"], "title": task["title"]})
            assert made["number"] == task["number"]
            for item in task["measures"]:
                api(
                    "POST",
                    "measures/",
                    {
                        "program": program["id"],
                        "task": made["id"],
                        "number": item["number"],
                        "content": item["content"],
                        **item["deadline"],
                        "responsible_units": [units[abbreviation] for abbreviation in item["units"]],
                        "target_audience": item["target_audience"],
                        "indicator": item["indicator"],
                    },
                )
    transition = f"programs/{program['id']}/transition/"
    api("POST", transition, {"to_status": "approved", "document_number": "69", "document_date": "2023-03-30"})
    # In force since the approval order: the body enters a program it has run since 2023.
    api("POST", transition, {"to_status": "in_force", "document_date": "2023-03-30"})
    period = api("GET", f"reporting-periods/?program={program['id']}&kind=year&year=2023")["results"][0]
    measures = api("GET", f"measures/?program={program['id']}")["results"]
    by_content = {measure["content"]: measure["id"] for measure in measures}
    for section in dms_measures.SEED_SECTIONS:
        for task in section["tasks"]:
            for item in task["measures"]:
                report = item["report_2023"]
                entry = api(
                    "POST",
                    "execution-entries/",
                    {
                        "period": period["id"],
                        "measure": by_content[item["content"]],
                        "version": 0,
                        "status": "done",
                        "narrative": report["narrative"],
                        "participants": report.get("participants"),
                    },
                )
                for document in report.get("evidence", ()):
                    api("POST", f"execution-entries/{entry['id']}/evidence/", dict(document))
                current = api("GET", f"execution-entries/{entry['id']}/")
                submitted = api("POST", f"execution-entries/{entry['id']}/submit/", {"version": current["version"]})
                assert submitted["state"] == "submitted"
    return program["id"], period["id"]


def test_seed_001_entered_over_http_comes_back_as_the_execution_report(live_server):
    require_real_stack()
    # The NAZK matrices a migration installs: an earlier transactional test may have flushed them.
    ensure_presets()
    organisation = OrganisationFactory(name=dms.ORGANISATION["name"], short_name=dms.ORGANISATION["short_name"])
    admin = member(Role.ADMIN, organisation, username="dms-admin")
    call_command("drf_create_token", "dms-admin", verbosity=0)
    api = Http(live_server.url, Token.objects.get(user=admin).key)

    with celery_worker():
        program, period = enter_seed_001(api, organisation.pk, admin.pk)
        report = api("POST", "reports/", {"kind": "execution", "program": program, "period": period})

        def finished():
            state = api("GET", f"reports/{report['id']}/")
            return state if state["status"] in {"ready", "failed"} else None

        ready = wait_for(finished, timeout=120, interval=1)
    assert ready["status"] == "ready", ready["error"]
    response, content = api("GET", f"reports/{report['id']}/download/", raw=True)

    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(content)
    measures = [m for s in dms_measures.SEED_SECTIONS for t in s["tasks"] for m in t["measures"]]
    # Compared without whitespace, as a line may break inside a cell after a hyphen («морально-» / «етична»), and by
    # the start of each measure, as a tall row may continue on the next page after the repeated column headings
    # (tests/reports/test_official_documents.py compares the demo's report with seed 001 cell by cell).
    compact = "".join(text.split())
    for item in measures:
        assert "".join(item["content"].split())[:60] in compact
        for document in item["report_2023"].get("evidence", ()):
            # Documents of one kind from one issuer are merged into one reference, so each is found by what
            # identifies it; a long link wraps inside a table cell, so all is compared without line breaks.
            for part in identifying_parts(document):
                assert "".join(part.split()) in compact
    # The seed's own wording of two letters of one unit.
    assert "листи ВПЗВК від 08.11.2023 № 17/646-23 та від 15.11.2023 № 17/692-23" in text
    assert "Програма антикорупційних навчань" in text
    assert "Виконано" in text
    assert "Сторінка 1 з" in text
    assert api.calls > 60  # every step above was a call, none a shortcut
