"""A manager opens the dashboard before a commission meeting and sees the demo program's numbers, as the API does."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAM = "Антикорупційна програма Державної міграційної служби України на 2023–2025 роки"
CHART_JS = Path(django_settings.BASE_DIR) / "node_modules" / "chart.js" / "dist"


@pytest.fixture
def demo(transactional_db):
    assert CHART_JS.exists(), "Chart.js is installed by scripts/bootstrap (npm ci)"
    load_demo()


def test_the_manager_sees_the_demo_programs_numbers_as_the_api_returns_them(demo, page, sign_in):
    sign_in("manager", "demo-portal-2026")

    page.goto("/dashboard/")
    assert page.get_by_role("heading", name=PROGRAM, level=1).is_visible()
    header = page.locator(".page-header")
    program, period = header.get_attribute("data-program"), header.get_attribute("data-period")
    assert page.locator("#id_program").input_value() == program
    period_label = page.locator("[data-metric=period]").inner_text()
    api = page.request.get(f"/api/v1/dashboard/summary/?program={program}&period={period}").json()

    assert api["period"]["label"] == period_label
    assert api["total"] > 0
    for metric in ("total", "due", "done"):
        assert page.locator(f"dd[data-metric={metric}]").inner_text() == str(api[metric])
    assert page.locator("dd[data-metric=overdue]").inner_text() == str(len(api["overdue"]))
    assert page.locator("dd[data-metric=units_not_submitted]").inner_text() == str(len(api["units_not_submitted"]))
    status_table = page.locator("#status-heading").locator("..")
    for status, count in api["statuses"].items():
        assert status_table.locator(f"td[data-status={status}]").inner_text() == str(count)

    if CHART_JS.exists():
        page.wait_for_selector("html[data-charts=drawn]")
        assert page.locator("figure[data-chart=status] canvas").count() == 1


def test_the_overdue_list_leads_to_the_measure(demo, page, sign_in):
    sign_in("manager", "demo-portal-2026")
    page.goto("/dashboard/")
    links = page.locator("[data-overdue] a")
    if links.count() == 0:
        pytest.skip("the demo period shown has no overdue measure")

    links.first.click()
    page.wait_for_load_state()

    assert "/measures/" in page.url
