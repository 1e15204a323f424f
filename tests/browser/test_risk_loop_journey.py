"""Issue 16 in Chromium: the officer tags two cases; the secretary sees the signal on the register and the heat map;
the commission grades a measure ineffective; the proposed residual score rises; the commission accepts it and the
residual heat map moves."""

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from reports.choices import PeriodState
from risks.case_signals import case_signal_save
from tests.conftest import build_program, member
from tests.factories import UnitFactory, WhistleblowerReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "risk-loop-2026"
DETAILS = "Браузерний тест: член конкурсної комісії вимагав 10 000 гривень за призначення на посаду."


@pytest.fixture
def world(transactional_db, organisation):
    units = [
        UnitFactory(organisation=organisation, abbreviation="УП", name="Управління персоналу"),
        UnitFactory(organisation=organisation, abbreviation="УКЕС", name="Управління контролю"),
    ]
    content = build_program(organisation, units, title="Антикорупційна програма ГУДМС")
    risk = content.risks[0]  # «Вплив на членів конкурсної комісії», inherent 3 × 3
    matrix = content.program.risk_matrix
    # A year ago the commission found the measures working: residual 1 × 3 (medium on the 2021 matrix).
    risk.residual_probability = matrix.probabilities.get(score=1)
    risk.residual_consequence = matrix.consequences.get(score=3)
    risk.save()
    quarter = content.periods[0]
    quarter.state = PeriodState.UNDER_REVIEW
    quarter.save()
    people = {}
    for role, username in ((Role.OFFICER, "officer"), (Role.SECRETARY, "secretary"), (Role.COMMISSION, "member")):
        people[username] = member(role, organisation, username=username)
        people[username].set_password(PASSWORD)
        people[username].save()
    recent = timezone.now() - dt.timedelta(days=5)
    cases = [
        WhistleblowerReportFactory(organisation=organisation, registered=True, received_at=recent, details=DETAILS)
        for _ in range(3)
    ]
    # One case was tagged before; the officer tags the other two in the browser.
    case_signal_save(report=cases[0], function="personnel", process="", risk=risk, proposed_risk="")
    return content, cases


def signal_count(page, risk_number: int) -> str:
    return page.locator(f"#signals-by-risk tr[data-risk='{risk_number}'] td.signal-count").inner_text().strip()


def residual_cell(page, probability: int, consequence: int):
    heat = page.locator("section.heatmap").nth(1)
    return heat.locator(f"a[href*='residual_probability={probability}'][href*='residual_consequence={consequence}']")


def test_signals_and_results_move_the_register(world, page, sign_in):
    content, cases = world
    program, risk = content.program, content.risks[0]

    # The secretary sees one tagged case only as "fewer than 3".
    sign_in("secretary", PASSWORD)
    page.goto(f"/programs/{program.pk}/risks/signals/")
    assert signal_count(page, 1) == "менше 3"
    page.context.clear_cookies()

    # The officer tags two cases with the risk on each case's page.
    sign_in("officer", PASSWORD)
    for case in cases[1:]:
        page.goto(f"/whistleblowing/reports/{case.pk}/")
        form = page.locator("form[action$='/signal/']")
        form.locator("select[name=function]").select_option("personnel")
        form.locator("select[name=risk]").select_option(str(risk.pk))
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".messages").inner_text().strip() != ""
    page.goto(f"/programs/{program.pk}/risks/signals/")
    assert signal_count(page, 1) == "3"
    page.context.clear_cookies()

    # The secretary now sees three cases on the risk, and on the heat map — never what they say.
    sign_in("secretary", PASSWORD)
    page.goto(f"/programs/{program.pk}/risks/signals/")
    assert signal_count(page, 1) == "3"
    assert signal_count(page, 2) == "менше 3"
    assert DETAILS not in page.content()
    page.goto(f"/programs/{program.pk}/risks/heatmap/")
    page.get_by_role("button", name="Показати сигнали з повідомлень").click()
    page.wait_for_load_state()
    inherent = page.locator("section.heatmap").first
    assert inherent.locator("[data-signals='3']").count() == 1
    assert DETAILS not in page.content()
    # Before the commission's decision the residual map holds the risk at 1 × 3.
    assert residual_cell(page, 1, 3).inner_text() == "1"
    assert residual_cell(page, 2, 3).inner_text() == "0"
    page.context.clear_cookies()

    # The commission grades the measure treating the risk: done on time and in full, but ineffective.
    sign_in("member", PASSWORD)
    entry = content.entries["unit_quarter"]
    page.goto(f"/reports/periods/{content.periods[0].pk}/review/")
    form = page.locator(f"#entry-{entry.pk} form.evaluation-form")
    form.locator("select[name=timeliness]").select_option("met")
    form.locator("select[name=completeness]").select_option("met")
    form.locator("select[name=effectiveness]").select_option("not_met")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    # The proposed residual score rises from 1 × 3 to 2 × 3, with the reasons.
    page.get_by_role("link", name="Залишкові оцінки ризиків за цими оцінками").click()
    page.wait_for_load_state()
    row = page.locator(f"#risk-{risk.pk}")
    assert row.get_attribute("data-direction") == "up"
    assert "2 × 3" in row.locator(".residual-proposed").inner_text()
    reasons = row.locator(".residual-reasons").inner_text()
    assert "ефективність — не забезпечено: 50 %" in reasons
    assert "знижує ймовірність на 1" in reasons
    row.get_by_role("button", name="Прийняти пропозицію").click()
    page.wait_for_load_state()
    assert "2 × 3" in page.locator(f"#risk-{risk.pk} .residual-now").inner_text()

    # The heat map moves: the risk leaves the 1 × 3 cell of the residual map for 2 × 3.
    page.goto(f"/programs/{program.pk}/risks/heatmap/")
    assert residual_cell(page, 1, 3).inner_text() == "0"
    assert residual_cell(page, 2, 3).inner_text() == "1"
    # The risk's page keeps the trail of the decision.
    page.goto(f"/programs/{program.pk}/risks/{risk.pk}/")
    assert page.locator("#residual-trail tbody tr").count() == 1
    assert "Пропозицію прийнято" in page.locator("#residual-trail").inner_text()
