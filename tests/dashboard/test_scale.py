"""A parent body with many bodies below it: the comparison comes a page at a time, the page and the API cost the
same queries for 2 bodies as for a page's worth and more, and every answer is read fresh (nothing is cached, so a
write shows in the next answer)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.choices import ExecutionStatus
from reports.dashboard.selectors import COMPARISON_PAGE_SIZE
from tests.conftest import build_program
from tests.factories import OrganisationFactory, UnitFactory

pytestmark = pytest.mark.django_db


def add_bodies(parent, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        body = OrganisationFactory(parent=parent, short_name=f"Орган-{number:03}")
        build_program(body, [UnitFactory(organisation=body, abbreviation=f"П{number}")])


def queries(client, path, params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured), response


@pytest.fixture
def comparison(parent_program_content):
    return "/api/v1/dashboard/organisations/", {
        "organisation": parent_program_content.program.organisation_id,
        "year": 2023,
        "number": 1,
    }


def test_the_comparison_of_many_bodies_comes_a_page_at_a_time(login, parent_program_content, comparison):
    path, params = comparison
    add_bodies(parent_program_content.program.organisation, COMPARISON_PAGE_SIZE + 2)
    client = login("parent_secretary")

    first = client.get(path, params).json()
    second = client.get(path, {**params, "page": 2}).json()
    past_the_end = client.get(path, {**params, "page": 9}).json()

    assert (first["count"], first["page"], first["pages"]) == (COMPARISON_PAGE_SIZE + 3, 1, 2)
    assert len(first["organisations"]) == COMPARISON_PAGE_SIZE
    assert first["organisations"][0]["organisation"] == parent_program_content.program.organisation_id
    assert [row["short_name"] for row in second["organisations"]] == ["Орган-024", "Орган-025", "Орган-026"]
    assert all(row["total"] == 5 for row in first["organisations"] + second["organisations"])
    assert past_the_end == second


def test_a_page_number_that_is_not_a_number_is_a_field_error(login, parent_program_content, comparison):
    path, params = comparison

    response = login("parent_secretary").get(path, {**params, "page": "два"})

    assert response.status_code == 400
    assert "page" in response.json()["fields"]


def test_the_comparison_costs_the_same_queries_for_2_and_for_30_bodies(login, parent_program_content, comparison):
    path, params = comparison
    client = login("parent_secretary")
    add_bodies(parent_program_content.program.organisation, 2)
    small, _response = queries(client, path, params)
    add_bodies(parent_program_content.program.organisation, 28, start=2)
    large, response = queries(client, path, params)

    assert len(response.json()["organisations"]) == COMPARISON_PAGE_SIZE
    assert small == large


def test_the_parent_bodys_page_costs_the_same_queries_for_2_and_for_30_bodies(login, parent_program_content):
    params = {"program": parent_program_content.program.pk, "period": parent_program_content.periods[0].pk}
    client = login("parent_secretary")
    add_bodies(parent_program_content.program.organisation, 2)
    small, _response = queries(client, "/dashboard/", params)
    add_bodies(parent_program_content.program.organisation, 28, start=2)
    large, response = queries(client, "/dashboard/", params)
    html = response.content.decode()

    assert small == large
    assert html.count("data-organisation=") == COMPARISON_PAGE_SIZE
    assert "comparison_page=2" in html


def test_a_report_saved_shows_in_the_next_summary_and_comparison(
    login, program_content, parent_program_content, comparison
):
    path, params = comparison
    client = login("parent_secretary")
    summary_params = {"program": program_content.program.pk, "period": program_content.periods[0].pk}
    before = client.get("/api/v1/dashboard/summary/", summary_params).json()
    child_before = client.get(path, params).json()["organisations"][1]
    entry = next(
        entry
        for entry in program_content.periods[0].entries.all()
        if entry.status != ExecutionStatus.DONE and entry.measure.deadline_kind
    )
    entry.status = ExecutionStatus.DONE
    entry.save()

    after = client.get("/api/v1/dashboard/summary/", summary_params).json()
    child_after = client.get(path, params).json()["organisations"][1]

    assert after["statuses"]["done"] == before["statuses"]["done"] + 1
    assert child_after["statuses"]["done"] == child_before["statuses"]["done"] + 1
