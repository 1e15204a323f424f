"""The secretary's register journey in Chromium: a risk on the 2021 matrix, a quarterly measure treating it, and both
found on the register, the heat map and the measures list."""

import pytest

from programs.models import Program
from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAM = "Антикорупційна програма Державної міграційної служби України на 2023–2025 роки"
RISK = "Вплив на членів тендерного комітету під час закупівлі послуг перекладу"
MEASURE = "Проводити вибіркову перевірку рішень тендерного комітету щодо закупівлі послуг перекладу"


@pytest.fixture
def demo(transactional_db):
    load_demo()
    return Program.objects.get(title=PROGRAM)


def test_the_secretary_registers_a_risk_treats_it_and_finds_both_everywhere(demo, page, sign_in):
    program = demo
    assert program.risk_matrix.code == "nazk-2021"
    sign_in("secretary", "demo-portal-2026")

    # A new risk, scored on the program's 2021 matrix: high probability × medium consequences → high (3 × 2 = 6).
    page.goto(f"/programs/{program.pk}/risks/")
    page.get_by_role("link", name="Add a risk").or_(page.get_by_role("link", name="Додати ризик")).first.click()
    page.select_option("select[name=function]", "procurement")
    page.fill("textarea[name=title]", RISK)
    page.select_option("select[name=inherent_probability]", label="3 — Висока")
    page.select_option("select[name=inherent_consequence]", label="2 — Середні")
    page.locator("form.card button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=RISK).is_visible()
    assert page.locator(".level-high").first.is_visible()

    # A measure treating it, due in the second quarter; the preview reads the deadline before saving.
    page.locator("a[href*='/measures/new/?risk=']").click()
    page.wait_for_load_state()
    page.select_option("select[name=task]", index=1)
    page.fill("textarea[name=content]", MEASURE)
    page.select_option("select[name=deadline_kind]", "quarter")
    page.fill("input[name=deadline_part]", "2")
    page.get_by_label("УП — Управління персоналу", exact=True).check()
    assert page.get_by_label(RISK, exact=False).is_checked()  # the risk it was opened from
    page.locator("button[name=preview]").click()
    page.wait_for_load_state()
    assert page.locator(".deadline-phrase").inner_text() == "ІІ квартал"
    assert page.locator("textarea[name=content]").input_value() == MEASURE  # nothing typed is lost
    page.locator("form.card > p > button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=MEASURE).is_visible()

    # The register lists the risk as treated; searching finds it.
    page.goto(f"/programs/{program.pk}/risks/?q=тендерного")
    row = page.locator("tbody tr", has_text=RISK)
    assert row.count() == 1
    assert row.locator("td.num").last.inner_text() == "1"

    # The heat map counts it in the high × medium cell, and the cell leads back to the filtered register.
    page.goto(f"/programs/{program.pk}/risks/heatmap/")
    cell = page.locator("section.heatmap").first.locator(
        "a[href*='inherent_probability=3'][href*='inherent_consequence=2']"
    )
    assert int(cell.inner_text()) >= 1
    cell.click()
    page.wait_for_load_state()
    assert page.locator("tbody tr", has_text=RISK).count() == 1

    # The measures list finds the measure among those due in the second quarter of 2024.
    page.goto(f"/programs/{program.pk}/measures/")
    page.select_option("select[name=due_in]", "2024-Q2")
    page.get_by_role("button", name="Apply filters").or_(page.locator("form.filters button[type=submit]")).first.click()
    page.wait_for_load_state()
    row = page.locator("tbody tr", has_text=MEASURE)
    assert row.count() == 1
    assert "ІІ квартал" in row.inner_text()
