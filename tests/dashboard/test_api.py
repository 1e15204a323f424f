"""Dashboard endpoints: who may read them, what bad parameters answer, and that queries do not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import build_program
from tests.dashboard.conftest import grow_program, token_client
from tests.factories import OrganisationFactory, UnitFactory, WhistleblowerReportFactory

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "reporter", "commission", "manager", "officer", "admin_user", "outsider", "parent_secretary"]
PROGRAM_READERS = {"secretary", "commission", "manager", "officer", "admin_user", "parent_secretary"}
# Refused as by the dashboard page: a unit reporter reads no program-wide numbers.
DASHBOARD_REFUSED = {"reporter"}
WHISTLEBLOWER_READERS = {"secretary", "manager", "officer", "admin_user", "outsider", "parent_secretary"}


def program_urls(content) -> dict[str, dict]:
    program = content.program.pk
    return {
        "/api/v1/dashboard/summary/": {"program": program, "period": content.periods[0].pk},
        "/api/v1/dashboard/trend/": {"program": program},
        "/api/v1/dashboard/heatmap/": {"program": program},
    }


@pytest.mark.parametrize("persona", ROLES)
@pytest.mark.parametrize("url", ["summary", "trend", "heatmap"])
def test_program_endpoints_answer_readers_of_the_program_and_refuse_the_rest_with_a_field_error(
    persona, url, login, program_content
):
    path = f"/api/v1/dashboard/{url}/"
    response = login(persona).get(path, program_urls(program_content)[path])

    if persona in PROGRAM_READERS:
        assert response.status_code == 200
        assert response.json()["program"]["id"] == program_content.program.pk
    elif persona in DASHBOARD_REFUSED:
        assert response.status_code == 403
        assert "program" not in response.json()
    else:
        assert response.status_code == 400
        assert "program" in response.json()["fields"]


@pytest.mark.parametrize("url", ["summary", "trend", "heatmap", "organisations", "whistleblowers"])
def test_every_dashboard_endpoint_refuses_anonymous_callers(url, login):
    assert login("anonymous").get(f"/api/v1/dashboard/{url}/").status_code == 401


@pytest.mark.parametrize("persona", [*ROLES, "superuser"])
def test_whistleblower_numbers_are_for_managers_secretaries_and_the_officer_only(persona, login, whistleblower_records):
    response = login(persona).get("/api/v1/dashboard/whistleblowers/")

    if persona in WHISTLEBLOWER_READERS:
        assert response.status_code == 200
        expected = 0 if persona == "outsider" else 1
        assert response.json()["received"] == expected
        assert "summary" not in str(response.json())
    else:
        assert response.status_code == 403


def test_asking_for_another_organisations_whistleblower_numbers_is_a_field_error(login, organisation, outsider):
    response = login("outsider").get("/api/v1/dashboard/whistleblowers/", {"organisation": organisation.pk})

    assert response.status_code == 400
    assert "organisation" in response.json()["fields"]


def test_a_token_of_another_organisation_gets_no_numbers_of_our_program(outsider, program_content):
    client = token_client(outsider)

    for path, params in program_urls(program_content).items():
        response = client.get(path, params)
        assert response.status_code == 400, path
        assert "program" in response.json()["fields"]


def test_a_token_of_our_organisation_reads_the_summary(manager, program_content):
    response = token_client(manager).get("/api/v1/dashboard/summary/", {"program": program_content.program.pk})

    assert response.status_code == 200
    assert response.json()["total"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "program"),
        ({"program": "abc"}, "program"),
        ({"program": "999999"}, "program"),
        ({"program": "-1"}, "program"),
        ({"program": "99999999999999999999"}, "program"),
    ],
)
def test_invalid_program_parameters_are_field_errors_not_server_errors(params, field, login, program_content):
    response = login("manager").get("/api/v1/dashboard/summary/", params)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_period_of_another_program_is_a_field_error(login, program_content, parent_program_content):
    response = login("parent_secretary").get(
        "/api/v1/dashboard/summary/",
        {"program": program_content.program.pk, "period": parent_program_content.periods[0].pk},
    )

    assert response.status_code == 400
    assert "period" in response.json()["fields"]


def test_a_unit_of_another_organisation_is_a_field_error(login, program_content, parent_organisation):
    unit = UnitFactory(organisation=parent_organisation)

    response = login("parent_secretary").get(
        "/api/v1/dashboard/summary/", {"program": program_content.program.pk, "unit": unit.pk}
    )

    assert response.status_code == 400
    assert "unit" in response.json()["fields"]


def test_a_parent_body_sees_its_children_side_by_side(login, program_content, parent_program_content, organisation):
    response = login("parent_secretary").get(
        "/api/v1/dashboard/organisations/",
        {"organisation": parent_program_content.program.organisation_id, "year": 2023, "number": 1},
    )

    assert response.status_code == 200
    rows = response.json()["organisations"]
    assert [row["organisation"] for row in rows] == [parent_program_content.program.organisation_id, organisation.pk]
    child = rows[1]
    assert child["program"] == program_content.program.pk
    assert child["total"] == 5
    assert child["done"] == 1


def test_the_comparison_reaches_bodies_below_the_children_each_under_its_parent(
    login, program_content, parent_program_content, organisation
):
    local = OrganisationFactory(parent=organisation, short_name="Відділ-А")
    local_program = build_program(local, [UnitFactory(organisation=local, abbreviation="ВА")])

    rows = (
        login("parent_secretary")
        .get(
            "/api/v1/dashboard/organisations/",
            {"organisation": parent_program_content.program.organisation_id, "year": 2023, "number": 1},
        )
        .json()["organisations"]
    )

    assert [(row["organisation"], row["depth"], row["parent"]) for row in rows] == [
        (parent_program_content.program.organisation_id, 0, None),
        (organisation.pk, 1, parent_program_content.program.organisation_id),
        (local.pk, 2, organisation.pk),
    ]
    assert rows[2]["program"] == local_program.program.pk
    assert rows[2]["total"] == 5


def test_a_program_no_longer_in_force_has_no_numbers_in_the_comparison(
    login, program_content, parent_program_content, organisation
):
    program_content.program.status = "expired"
    program_content.program.save()

    rows = (
        login("parent_secretary")
        .get(
            "/api/v1/dashboard/organisations/",
            {"organisation": parent_program_content.program.organisation_id, "year": 2023, "number": 1},
        )
        .json()["organisations"]
    )

    child = next(row for row in rows if row["organisation"] == organisation.pk)
    assert child["program"] is None


def test_a_child_body_does_not_see_its_parent_in_the_comparison(login, parent_organisation, manager):
    response = login("manager").get(
        "/api/v1/dashboard/organisations/", {"organisation": parent_organisation.pk, "year": 2023}
    )

    assert response.status_code == 400
    assert "organisation" in response.json()["fields"]


def test_a_quarter_number_five_is_a_field_error(login, parent_organisation, parent_secretary):
    response = login("parent_secretary").get(
        "/api/v1/dashboard/organisations/", {"organisation": parent_organisation.pk, "year": 2023, "number": 5}
    )

    assert response.status_code == 400
    assert "number" in response.json()["fields"]


# --- query counts ---------------------------------------------------------------------------------------------------


def _count_queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("path", ["summary", "trend", "heatmap"])
def test_program_endpoints_use_the_same_number_of_queries_for_10_and_300_more_measures(
    path, login, program_content, reporter_unit, other_unit
):
    client = login("manager")
    url = f"/api/v1/dashboard/{path}/"
    params = program_urls(program_content)[url]
    grow_program(program_content, [reporter_unit, other_unit], 10)
    small = _count_queries(client, url, params)
    grow_program(program_content, [reporter_unit, other_unit], 300)
    large = _count_queries(client, url, params)

    assert small == large
    assert large <= 12


def test_the_summary_of_300_more_measures_still_adds_up(login, program_content, reporter_unit, other_unit):
    grow_program(program_content, [reporter_unit, other_unit], 300)

    summary = (
        login("manager")
        .get("/api/v1/dashboard/summary/", program_urls(program_content)["/api/v1/dashboard/summary/"])
        .json()
    )

    assert summary["total"] == 305
    assert sum(summary["statuses"].values()) == 305
    assert summary["statuses"]["done"] == 1 + 100


def test_whistleblower_numbers_use_the_same_number_of_queries_for_few_and_many_reports(login, organisation, manager):
    from tests.factories import WhistleblowerReportFactory

    client = login("manager")
    WhistleblowerReportFactory.create_batch(3, organisation=organisation)
    small = _count_queries(client, "/api/v1/dashboard/whistleblowers/", {})
    WhistleblowerReportFactory.create_batch(60, organisation=organisation)
    large = _count_queries(client, "/api/v1/dashboard/whistleblowers/", {})

    assert small == large


def test_the_comparison_uses_the_same_number_of_queries_whatever_the_size(
    login, program_content, parent_program_content, reporter_unit, other_unit
):
    client = login("parent_secretary")
    params = {"organisation": parent_program_content.program.organisation_id, "year": 2023, "number": 1}
    small = _count_queries(client, "/api/v1/dashboard/organisations/", params)
    grow_program(program_content, [reporter_unit, other_unit], 200)
    for number in range(4):  # more bodies, two levels down, each with a program
        local = OrganisationFactory(parent=program_content.program.organisation, short_name=f"Відділ-{number}")
        build_program(local, [UnitFactory(organisation=local, abbreviation=f"В{number}")])
    response = client.get("/api/v1/dashboard/organisations/", params)
    large = _count_queries(client, "/api/v1/dashboard/organisations/", params)

    assert len(response.json()["organisations"]) == 6
    assert small == large


# --- whistleblower content -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*ROLES, "superuser"])
def test_whistleblower_report_content_reaches_the_officer_alone(persona, login, whistleblower_records):
    report = whistleblower_records.report
    client = login(persona)

    listed = client.get("/api/v1/whistleblower-reports/")
    detail = client.get(f"/api/v1/whistleblower-reports/{report.pk}/")

    if persona == "officer":
        assert [row["id"] for row in listed.json()["results"]] == [report.pk]
        assert detail.status_code == 200
        assert "full_name" not in detail.json()
    else:
        assert listed.status_code == 200
        assert listed.json()["results"] == []
        assert detail.status_code == 404


def test_a_token_of_another_organisations_officer_gets_a_404_for_our_report(other_organisation, whistleblower_records):
    from tests.conftest import member

    other_officer = member("officer", other_organisation, username="other_officer")

    response = token_client(other_officer).get(f"/api/v1/whistleblower-reports/{whistleblower_records.report.pk}/")

    assert response.status_code == 404


def test_the_officer_lists_only_overdue_reports_over_the_api_with_their_deadlines(organisation, login, officer):
    overdue = WhistleblowerReportFactory(organisation=organisation, registered=True)  # received 05.02.2024
    fresh = WhistleblowerReportFactory(organisation=organisation, received_at=timezone.now())
    client = login("officer")

    every = client.get("/api/v1/whistleblower-reports/").json()
    only_overdue = client.get("/api/v1/whistleblower-reports/", {"overdue": "true"}).json()
    detail = client.get(f"/api/v1/whistleblower-reports/{overdue.pk}/").json()

    assert {row["id"] for row in every["results"]} == {overdue.pk, fresh.pk}
    assert [row["id"] for row in only_overdue["results"]] == [overdue.pk]
    assert only_overdue["count"] == 1
    assert detail["overdue"] is True
    review = next(item for item in detail["deadlines"] if item["key"] == "preliminary_review")
    assert review["overdue"] is True
    assert review["due"] < timezone.localdate().isoformat()


def test_the_officers_journal_over_the_api_costs_the_same_for_3_and_30_reports(organisation, login, officer):
    client = login("officer")
    WhistleblowerReportFactory.create_batch(3, organisation=organisation, registered=True)
    small = _count_queries(client, "/api/v1/whistleblower-reports/", {"overdue": "true"})
    WhistleblowerReportFactory.create_batch(27, organisation=organisation, registered=True)
    large = _count_queries(client, "/api/v1/whistleblower-reports/", {"overdue": "true"})

    assert small == large


@pytest.mark.parametrize("persona", ROLES)
@pytest.mark.parametrize("url", ["summary", "trend", "heatmap", "organisations"])
def test_the_page_and_the_api_let_the_same_personas_read_the_dashboard(persona, url, login, program_content):
    client = login(persona)
    period = program_content.periods[0]
    params = {
        **program_urls(program_content).get(f"/api/v1/dashboard/{url}/", {}),
        "organisation": program_content.program.organisation_id,
        "year": period.year,
    }

    page = client.get("/dashboard/").status_code
    api = client.get(f"/api/v1/dashboard/{url}/", params).status_code

    assert (page == 403) == (api == 403), (page, api)
