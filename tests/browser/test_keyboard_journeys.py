"""Keyboard-only journeys (issue 17 items 3 and 5) on the demo body: Tab, Shift+Tab, Enter, Space and the arrows,
never the mouse. Every element the keyboard lands on shows a focus ring. The dashboard's numbers are in the first
HTML answer, readable with JavaScript off, and its answers to "what is late, who has not reported" sit on a
laptop's first screen."""

from __future__ import annotations

import pytest

from measures.models import Measure
from programs.models import Program
from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-portal-2026"
LAPTOP = {"width": 1366, "height": 768}

FOCUSED_JS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(), name: element.getAttribute("name"), id: element.id,
    type: element.getAttribute("type"), text: (element.innerText || element.value || "").trim().slice(0, 60),
    visible: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none",
  };
}"""


@pytest.fixture
def demo(transactional_db):
    load_demo()
    return Program.objects.get(organisation__short_name="ДМС", start_year=2023)


class Keyboard:
    """Moves through a page with Tab alone and remembers every element focused without a visible ring."""

    def __init__(self, page):
        self.page = page
        self.without_ring: list[dict] = []

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED_JS)

    def tab_to(self, selector: str, *, backwards: bool = False, limit: int = 400) -> dict:
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            focused = self.focused()
            if not focused["visible"]:
                self.without_ring.append(focused)
            if self.page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
                return focused
        pytest.fail(f"the keyboard never reached {selector}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def send(self, key: str = "Enter") -> None:
        """Press the key on a submit button or link and wait for the page it brings."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)


# --- the dashboard ------------------------------------------------------------------------------------------------


def test_the_dashboards_numbers_come_in_the_first_html_and_show_without_javascript(demo, browser, live_server):
    context = browser.new_context(locale="uk-UA", base_url=live_server.url, java_script_enabled=False, viewport=LAPTOP)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

    page.goto("/dashboard/")

    # No script ran, so nothing drew the charts: the numbers are the server's.
    assert page.locator("html[data-charts]").count() == 0
    for metric in ("total", "due", "done", "overdue", "units_not_submitted"):
        cell = page.locator(f"dd[data-metric={metric}]")
        assert cell.is_visible()
        assert cell.inner_text().strip().isdigit(), metric
    # "What is late" and "who has not reported" are on the laptop's first screen, no scrolling.
    for metric in ("overdue", "units_not_submitted"):
        box = page.locator(f"dd[data-metric={metric}]").bounding_box()
        assert box["y"] >= 0, metric
        assert box["y"] + box["height"] <= LAPTOP["height"], metric
    context.close()


def test_the_dashboard_asks_for_its_chart_library_only_after_the_numbers_are_shown(demo, page, sign_in):
    page.set_viewport_size(LAPTOP)
    sign_in("manager", PASSWORD)
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/dashboard/", wait_until="domcontentloaded")
    numbers_at_first_paint = page.locator("dd[data-metric=overdue]").inner_text()
    page.wait_for_selector("html[data-charts=drawn]")

    assert numbers_at_first_paint.strip().isdigit()
    assert len([url for url in requested if "chart.umd" in url]) == 1
    timing = page.evaluate(
        """() => ({
            loaded: performance.getEntriesByType("navigation")[0].loadEventStart,
            chart: performance.getEntriesByType("resource").find(entry => entry.name.includes("chart.umd")).startTime,
        })"""
    )
    # The library is asked for once the page (with its numbers) has loaded, never before.
    assert timing["chart"] >= timing["loaded"] > 0


# --- the measure form ---------------------------------------------------------------------------------------------


def test_a_secretary_creates_and_edits_a_measure_with_the_keyboard_alone(demo, page, sign_in):
    page.set_viewport_size(LAPTOP)
    sign_in("secretary", PASSWORD)
    keys = Keyboard(page)
    page.goto(f"/programs/{demo.pk}/measures/new/")

    keys.tab_to("select[name=task]")
    keys.press("ArrowDown")  # the first task of the program
    keys.tab_to("textarea[name=content]")
    keys.type("Провести навчання з клавіатури для працівників УП")
    keys.tab_to("select[name=deadline_kind]")
    keys.press("ArrowDown")  # «By a date» → the next kinds; choose «In a quarter»
    keys.press("ArrowDown")
    keys.tab_to("input[name=deadline_part]")
    keys.type("2")  # the second quarter
    # Save without a unit: the mistake is announced and the keyboard is put on it.
    keys.tab_to("form button[type=submit]:not([name])")
    keys.send()

    assert page.locator("[role=alert]").count() >= 1
    first_mistake = keys.focused()
    assert first_mistake["name"] == "responsible_units", first_mistake
    assert first_mistake["visible"]
    assert page.input_value("textarea[name=content]") == "Провести навчання з клавіатури для працівників УП"
    keys.press("Space")  # tick the first unit, where the keyboard already is
    keys.tab_to("input[name=risks]")
    keys.press("Space")
    keys.tab_to("form button[type=submit]:not([name])")
    keys.send()

    measure = Measure.objects.get(content="Провести навчання з клавіатури для працівників УП")
    assert measure.deadline_kind == "quarter"
    assert measure.deadline_part == 2
    assert measure.responsible_units.count() == 1
    assert measure.risks.count() == 1

    page.goto(f"/programs/{demo.pk}/measures/{measure.pk}/edit/")
    keys.tab_to("textarea[name=content]")
    keys.press("Control+a")
    keys.type("Провести два навчання з клавіатури")
    keys.tab_to("form button[type=submit]:not([name])")
    keys.send()

    measure.refresh_from_db()
    assert measure.content == "Провести два навчання з клавіатури"
    assert keys.without_ring == [], "focused without a visible focus ring"


# --- the officer's case page --------------------------------------------------------------------------------------


def test_the_officer_handles_a_case_with_the_keyboard_alone(demo, page, sign_in):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from whistleblowers.models import IdentityAccess, WhistleblowerReport
    from whistleblowers.services import report_create_by_staff

    officer = get_user_model().objects.get(username="officer")
    report = report_create_by_staff(
        organisation=demo.organisation,
        user=officer,
        channel="phone",
        received_at=timezone.now() - timezone.timedelta(hours=2),
        basis_of_knowledge="work",
        details="Клавіатурний тест: працівник вимагав винагороду за прискорення документів.",
        is_anonymous=False,
        full_name="Коваленко Олена Петрівна",
        contacts="+380 44 000 00 00",
    )
    page.set_viewport_size(LAPTOP)
    sign_in("officer", PASSWORD)
    keys = Keyboard(page)
    page.goto(f"/whistleblowing/reports/{report.pk}/")

    # Status: the first choice offered (preliminary review), sent with Enter on its button.
    keys.tab_to("form[action$='/status/'] select[name=status]")
    keys.tab_to("form[action$='/status/'] button")
    keys.send()
    report.refresh_from_db()
    assert report.status == "preliminary_review"

    # A note for the journal.
    keys.tab_to("form[action$='/summary/'] input[name=summary]")
    keys.type("Вимагання винагороди, відділ паспортизації")
    keys.tab_to("form[action$='/summary/'] button")
    keys.send()
    report.refresh_from_db()
    assert report.summary == "Вимагання винагороди, відділ паспортизації"

    # Forwarding: a recipient chosen with the arrows, the date typed into the date field.
    keys.tab_to("form[action$='/forwarding/'] select[name=recipient]")
    keys.press("ArrowDown")
    keys.tab_to("form[action$='/forwarding/'] input[name=sent_on]")
    # The test Chromium orders a date field's parts by its own interface language (month first), not the page's.
    keys.type(timezone.localdate().strftime("%m%d%Y"))
    assert page.input_value("input[name=sent_on]") == timezone.localdate().isoformat()
    keys.tab_to("form[action$='/forwarding/'] input[name=outgoing_number]")
    keys.type("12/3-45")
    keys.tab_to("form[action$='/forwarding/'] button")
    keys.send()
    assert report.forwardings.exists(), page.locator("form[action$='/forwarding/']").inner_text()
    forwarding = report.forwardings.get()
    assert forwarding.outgoing_number == "12/3-45"
    assert forwarding.sent_on == timezone.localdate()

    # The identity: its link, then the confirmation that asks why; an empty reason is refused and focused.
    keys.tab_to(f"a[href='/whistleblowing/reports/{report.pk}/identity/']")
    keys.send()
    keys.tab_to("input[name=purpose]")
    keys.send()
    assert page.locator(".field-errors").count() == 1
    refused = keys.focused()
    assert refused["name"] == "purpose", refused
    assert refused["visible"]
    keys.type("Перевірка обставин для службового розслідування")
    keys.send()

    assert "Коваленко Олена Петрівна" in page.locator("main").inner_text()
    assert IdentityAccess.objects.filter(identity__report=report, user=officer).count() == 1
    assert WhistleblowerReport.objects.get(pk=report.pk).status == "preliminary_review"
    assert keys.without_ring == [], "focused without a visible focus ring"
