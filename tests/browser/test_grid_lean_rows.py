"""The grid's lean rows in Chromium: the script builds every row's controls from the parts the page sends once, and
without the script a row's «Edit» link opens it complete as a plain form that saves."""

import pytest

from core.periods import PeriodKind
from reports.execution.models import ExecutionEntry, ReportingPeriod
from tests.demo_snapshot import load_demo
from tests.second_factor import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-portal-2026"


@pytest.fixture
def open_quarter(transactional_db):
    load_demo()
    return ReportingPeriod.objects.get(
        program__organisation__short_name="ДМС", kind=PeriodKind.QUARTER, year=2025, number=3
    )


def test_the_script_gives_every_row_its_labelled_controls_and_the_whole_sentence(open_quarter, page, sign_in):
    sign_in("secretary", PASSWORD)
    page.goto(f"/reports/periods/{open_quarter.pk}/")

    rows = page.evaluate(
        """() => [...document.querySelectorAll("tr[id^='measure-']")].map(row => {
            const pk = row.id.slice("measure-".length);
            const label = id => document.querySelector(`label[for='${id}']`)?.textContent.trim() || "";
            return {
                pk,
                options: row.querySelectorAll(`select#status-${pk}[form='row-${pk}'] option`).length,
                labels: [`status-${pk}`, `narrative-${pk}`, `reasons-${pk}`, `next-steps-${pk}`].map(label),
                form: row.querySelectorAll(`form#row-${pk} [name=csrfmiddlewaretoken], form#row-${pk} [data-version]`)
                    .length,
                sentence: row.querySelector("[data-sentence]").textContent,
                narrative: row.querySelector("textarea[name=narrative]").value.trim(),
                disabled: row.querySelectorAll("[disabled]").length,
            };
        })"""
    )

    assert len(rows) >= 12
    entries = {str(entry.measure_id): entry for entry in ExecutionEntry.objects.filter(period=open_quarter).order_by()}
    for row in rows:
        assert row["options"] == 7, row
        assert all(row["labels"]), row
        assert row["form"] == 2, row
        assert row["disabled"] == 0, row
        entry = entries.get(row["pk"])
        if entry is not None and entry.narrative.strip():
            assert entry.narrative.strip() in row["sentence"], row
            assert row["narrative"] == entry.narrative.strip().replace("\r\n", "\n"), row


def test_without_the_script_a_row_opens_complete_and_saves_as_a_plain_form(open_quarter, browser, live_server):
    context = browser.new_context(locale="uk-UA", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    pass_second_factor(page, "secretary")
    page.goto(f"/reports/periods/{open_quarter.pk}/")
    row = page.locator("tr[id^='measure-']").filter(has=page.locator("[data-status]")).first
    measure_pk = int(row.get_attribute("id").removeprefix("measure-"))
    assert row.locator("select, textarea").count() == 0

    row.get_by_role("link", name="Змінити").click()
    page.wait_for_load_state()
    row = page.locator(f"#measure-{measure_pk}")
    row.locator("select[name=status]").select_option("not_done")
    row.locator("textarea[name=narrative]").fill("Не проведено: немає договору")
    row.locator("[data-reasons] summary").click()  # without the script, choosing «not done» does not open them
    row.locator("textarea[name=non_execution_reasons]").fill("Договір не укладено")
    row.locator("textarea[name=next_steps]").fill("Укласти договір у IV кварталі")
    row.get_by_role("button", name="Зберегти", exact=True).click()
    page.wait_for_load_state()

    entry = ExecutionEntry.objects.get(period=open_quarter, measure_id=measure_pk)
    assert (entry.status, entry.narrative, entry.non_execution_reasons, entry.next_steps) == (
        "not_done",
        "Не проведено: немає договору",
        "Договір не укладено",
        "Укласти договір у IV кварталі",
    )
    assert page.url.endswith(f"/reports/periods/{open_quarter.pk}/#measure-{measure_pk}")
    assert page.locator(f"#measure-{measure_pk} [data-value=narrative]").inner_text() == "Не проведено: немає договору"
    context.close()
