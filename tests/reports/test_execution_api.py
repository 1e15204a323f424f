"""The execution-entry API: the same scope, services and locks as the HTML pages."""

import pytest

from reports.execution.period_services import period_approve, period_send_for_review
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision

pytestmark = pytest.mark.django_db

API = "/api/v1/execution-entries/"


def test_a_reporter_lists_only_their_units_entries_with_the_reports_sentence(login, program_content):
    response = login("reporter").get(API)

    ids = {item["id"] for item in response.json()["results"]}
    assert ids == program_content.entry_ids("unit_quarter")
    assert response.json()["results"][0]["sentence"].startswith(
        "Виконано. Перевірено 12 кандидатів (лист"
    )  # inside the sentence: a small letter


def test_a_reporter_cannot_read_or_change_another_units_entry(login, program_content):
    entry = program_content.entries["other_half"]
    client = login("reporter")

    assert client.get(f"{API}{entry.pk}/").status_code == 404
    response = client.patch(
        f"{API}{entry.pk}/", {"version": entry.version, "narrative": "чуже"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_stale_version_is_a_conflict(login, program_content):
    entry = program_content.entries["unit_quarter"]
    client = login("secretary")
    client.patch(f"{API}{entry.pk}/", {"version": entry.version, "narrative": "перше"}, content_type="application/json")

    response = client.patch(
        f"{API}{entry.pk}/", {"version": entry.version, "narrative": "друге"}, content_type="application/json"
    )

    assert response.status_code == 409


def test_an_entry_is_created_and_submitted_through_the_api(login, program_content):
    period, measure = program_content.periods[0], program_content.measures["unit_year"]
    client = login("reporter")

    created = client.post(
        API,
        {"period": period.pk, "measure": measure.pk, "version": 0, "status": "in_progress", "narrative": "Готуємо"},
        content_type="application/json",
    )
    submitted = client.post(
        f"{API}{created.json()['id']}/submit/", {"version": created.json()["version"]}, content_type="application/json"
    )

    assert created.status_code == 201
    assert submitted.json()["state"] == "submitted"


def test_nobody_edits_an_approved_period_through_the_api(login, secretary, commission, program_content):
    period = program_content.periods[0]
    period_send_for_review(user=secretary, period=period)
    period_approve(user=commission, period=period, decision=approval_decision(period), incomplete_reason=GAPS_ACCEPTED)
    entry = program_content.entries["unit_quarter"]

    response = login("secretary").patch(
        f"{API}{entry.pk}/", {"version": entry.version, "narrative": "пізно"}, content_type="application/json"
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.narrative == "Перевірено 12 кандидатів"


def test_the_commission_reads_but_cannot_write_entries(login, program_content):
    entry = program_content.entries["unit_quarter"]
    client = login("commission")

    assert client.get(f"{API}{entry.pk}/").status_code == 200
    response = client.patch(
        f"{API}{entry.pk}/", {"version": entry.version, "narrative": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
