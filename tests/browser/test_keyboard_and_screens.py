"""Keyboard-only use and the screens a reviewer looks at (issue 17 items 3 and 5), on the demo body.

Screenshots of the dashboard, the grid and the public form at 1366×768 and 390×844 go to var/screenshots/.
"""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from core.periods import PeriodKind
from reports.execution.models import ExecutionEntry, ReportingPeriod
from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-portal-2026"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"1366x768": {"width": 1366, "height": 768}, "390x844": {"width": 390, "height": 844}}

FOCUS_RING_JS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(), name: element.getAttribute("name"), id: element.id,
    visible: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none",
  };
}"""


@pytest.fixture
def open_quarter(transactional_db):
    load_demo()
    return ReportingPeriod.objects.get(
        program__organisation__short_name="ДМС", kind=PeriodKind.QUARTER, year=2025, number=3
    )


def first_screen_text(page) -> str:
    """The text of what is on screen without scrolling."""
    return page.evaluate(
        """() => [...document.querySelectorAll("main h2, main dt, main dd, main li, main tr")]
            .filter(node => { const box = node.getBoundingClientRect();
                              return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight; })
            .map(node => node.innerText).join("\\n")"""
    )


def test_the_managers_first_laptop_screen_says_what_is_late_and_who_has_not_reported(open_quarter, page, sign_in):
    page.set_viewport_size(WIDTHS["1366x768"])
    sign_in("manager", PASSWORD)
    page.goto("/dashboard/")

    on_screen = first_screen_text(page)
    assert "Прострочені заходи" in on_screen
    assert "Підрозділи, які не подали інформацію" in on_screen
    # The numbers are on the page before Chart.js has even been asked for: it is fetched after the load event.
    assert page.locator("[data-metric=overdue]").is_visible()
    assert page.locator("script[src*='chart.umd']").count() in (0, 1)
    page.wait_for_selector("html[data-charts=drawn]")


@pytest.mark.parametrize("size", WIDTHS)
def test_the_dashboard_the_grid_and_the_public_form_fit_each_width(open_quarter, page, sign_in, size):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(WIDTHS[size])
    screens = {
        "public-form": "/whistleblowing/report/" + quote("ДМС") + "/",
    }
    for name, path in screens.items():
        page.goto(path)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"))
        assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")

    sign_in("manager", PASSWORD)
    page.goto("/dashboard/")
    page.wait_for_selector("html[data-charts=drawn]")
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{size}.png"))
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
    if size == "390x844":
        # On a phone the number cards come first: the first of them is on the first screen.
        box = page.locator("dd[data-metric=total]").bounding_box()
        assert box["y"] + box["height"] <= WIDTHS[size]["height"]

    page.context.clear_cookies()
    sign_in("secretary", PASSWORD)
    page.goto(f"/reports/periods/{open_quarter.pk}/")
    page.screenshot(path=str(SCREENSHOTS / f"grid-{size}.png"))
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def test_the_grid_is_worked_with_the_keyboard_alone_and_focus_is_always_visible(open_quarter, page, sign_in):
    page.set_viewport_size(WIDTHS["1366x768"])
    sign_in("secretary", PASSWORD)
    page.goto(f"/reports/periods/{open_quarter.pk}/")

    seen_without_ring = []
    for _ in range(300):  # Tab from the top of the page to the status of the first measure of the grid
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_RING_JS)
        if not focused["visible"]:
            seen_without_ring.append(focused)
        if focused["tag"] == "select" and focused["id"].startswith("status-"):
            break
    else:
        pytest.fail("Tab never reached the status of a measure in the grid")
    assert seen_without_ring == [], "focused without a visible focus ring"

    measure_pk = int(focused["id"].removeprefix("status-"))
    page.keyboard.press("ArrowDown")  # a closed select changes its choice with the arrow keys, and saves
    page.wait_for_selector(f"#status-{measure_pk}[data-cell-state=saved]")
    chosen = page.locator(f"#status-{measure_pk}").input_value()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_RING_JS)["id"] == f"narrative-{measure_pk}"
    page.keyboard.type("Проведено навчання для 40 працівників (клавіатура)")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f"#narrative-{measure_pk}[data-cell-state=saved]")

    entry = ExecutionEntry.objects.get(period=open_quarter, measure_id=measure_pk)
    assert entry.status == chosen
    assert entry.narrative.endswith("Проведено навчання для 40 працівників (клавіатура)")
