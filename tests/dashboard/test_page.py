"""The dashboard page: who may open it, and that its tables show the API's numbers without any JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.conftest import module_world
from tests.dashboard.conftest import grow_program

pytestmark = pytest.mark.django_db

# The world its tests use, built once for the module (tests/conftest.py, `module_world`).
globals().update(module_world())


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("commission", 200),
        ("secretary", 200),
        ("admin_user", 200),
        ("parent_secretary", 200),
        ("reporter", 403),
        ("officer", 200),  # oversees the program; the API gives the officer the same numbers
    ],
)
def test_the_dashboard_opens_for_those_who_run_or_oversee_the_program(persona, status, login, program_content):
    assert login(persona).get("/dashboard/").status_code == status


def test_a_signed_out_visitor_is_sent_to_the_login_page(login):
    response = login("anonymous").get("/dashboard/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _metric(html: str, name: str) -> str:
    return re.search(rf'data-metric="{name}">([^<]*)<', html).group(1).strip()


def test_the_page_shows_the_same_numbers_as_the_summary_endpoint(login, program_content):
    client = login("manager")
    period = program_content.periods[0]
    params = {"program": program_content.program.pk, "period": period.pk}

    html = client.get("/dashboard/", params).content.decode()
    api = client.get("/api/v1/dashboard/summary/", params).json()

    assert _metric(html, "total") == str(api["total"])
    assert _metric(html, "due") == str(api["due"])
    assert _metric(html, "done") == str(api["done"])
    assert _metric(html, "share_done") == f"{api['share_done']:.1f}"
    assert _metric(html, "units_not_submitted") == str(len(api["units_not_submitted"]))
    for status, count in api["statuses"].items():
        assert f'data-status="{status}">{count}<' in html


def test_the_page_works_without_scripts_and_has_no_inline_script_or_style(login, program_content):
    html = login("manager").get("/dashboard/").content.decode()

    assert "<table" in html
    assert re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html) is None
    assert 'style="' not in html
    assert 'id="dashboard-data" type="application/json"' in html


def test_another_organisations_program_in_the_filter_is_ignored_not_shown(login, program_content, other_program):
    response = login("manager").get("/dashboard/", {"program": other_program.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert other_program.title not in html
    assert program_content.program.title in html


def test_garbage_filters_do_not_break_the_page(login, program_content):
    response = login("manager").get("/dashboard/", {"program": "x", "period": "99999999999", "unit": "-3"})

    assert response.status_code == 200


def test_a_parent_body_sees_its_child_beside_itself(login, program_content, parent_program_content, organisation):
    params = {"program": parent_program_content.program.pk, "period": parent_program_content.periods[0].pk}

    html = login("parent_secretary").get("/dashboard/", params).content.decode()

    assert f'data-organisation="{organisation.pk}"' in html


def test_the_manager_sees_whistleblower_numbers_but_no_report_text(login, program_content, whistleblower_records):
    html = login("manager").get("/dashboard/").content.decode()

    assert _metric(html, "wb_received") == "1"
    assert whistleblower_records.report.details not in html


def test_the_page_uses_the_same_number_of_queries_for_a_small_and_a_large_program(
    login, program_content, reporter_unit, other_unit, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("manager")
    params = {"program": program_content.program.pk, "period": program_content.periods[0].pk}
    grow_program(program_content, [reporter_unit, other_unit], 10)
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/", params)
    grow_program(program_content, [reporter_unit, other_unit], 300)
    with CaptureQueriesContext(connection) as large:
        client.get("/dashboard/", params)

    assert len(small) == len(large)
