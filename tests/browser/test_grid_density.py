"""The secretary's grid on a laptop: the compact view shows at least twelve measures on a 1366×768 screen, and the
reasons and next steps of a measure not fully done open and save in place."""

import pytest
from playwright.sync_api import expect

from core.periods import PeriodKind
from reports.execution.models import ExecutionEntry, ReportingPeriod
from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-portal-2026"
SCREENSHOT = "var/screenshots/grid-compact-1366x768.png"


@pytest.fixture
def open_quarter(transactional_db):
    load_demo()
    return ReportingPeriod.objects.get(
        program__organisation__short_name="ДМС", kind=PeriodKind.QUARTER, year=2025, number=3
    )


def test_the_compact_grid_shows_twelve_measures_on_a_laptop_screen(open_quarter, page, sign_in):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in("secretary", PASSWORD)
    page.goto(f"/reports/periods/{open_quarter.pk}/")
    page.locator("[data-compact-link]").click()
    page.wait_for_load_state()

    rows = page.locator("tr[id^='measure-']")
    assert rows.count() >= 12
    rows.first.evaluate("row => row.scrollIntoView({block: 'start'})")
    page.screenshot(path=SCREENSHOT)
    visible = page.evaluate(
        """() => [...document.querySelectorAll("tr[id^='measure-']")].filter(row => {
            const box = row.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }).length"""
    )
    assert visible >= 12
    # Nothing overflows the screen sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366


def test_choosing_not_done_opens_the_reasons_and_they_save_cell_by_cell(open_quarter, page, sign_in):
    sign_in("secretary", PASSWORD)
    page.goto(f"/reports/periods/{open_quarter.pk}/")
    closed = page.locator("tr[id^='measure-']").filter(has=page.locator("details[data-reasons]:not([open])")).first
    measure_pk = int(closed.get_attribute("id").removeprefix("measure-"))
    row = page.locator(f"#measure-{measure_pk}")

    row.locator("select[name=status]").select_option("not_done")
    assert row.locator("details[data-reasons]").get_attribute("open") is not None
    expect(page.locator(f"#row-{measure_pk} [data-version]")).not_to_have_value("0")
    row.locator("textarea[name=non_execution_reasons]").fill("Не укладено договір на навчання")
    row.locator("textarea[name=non_execution_reasons]").press("Tab")
    page.wait_for_selector(f"#reasons-{measure_pk}[data-cell-state=saved]")

    entry = ExecutionEntry.objects.get(period=open_quarter, measure_id=measure_pk)
    assert (entry.status, entry.non_execution_reasons) == ("not_done", "Не укладено договір на навчання")
