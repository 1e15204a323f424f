"""A quarter in real Chromium: units report with evidence, the secretary fills the grid, the commission approves."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from playwright.sync_api import expect

from core.periods import PeriodKind
from measures.deadlines import is_due_in
from measures.models import Measure
from programs.choices import DecisionKind
from programs.models import AgendaItem, Commission, Meeting
from reports.choices import EntryState, PeriodState, ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.documents.services import report_request
from reports.execution.models import ExecutionEntry, ReportingPeriod
from tests.demo_snapshot import load_demo
from tests.reports.test_worker import pdf_text
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-portal-2026"
REASON = "Звіт ВПЗВК розглянуто усно; письмовий буде подано до 20.10.2025"


@pytest.fixture
def quarter(transactional_db):
    """The demo's III quarter of 2025, open: two УП measures and one other measure due and not yet reported."""
    load_demo()
    period = ReportingPeriod.objects.get(
        program__organisation__short_name="ДМС", kind=PeriodKind.QUARTER, year=2025, number=3
    )
    program = period.program
    starts_on, ends_on = period.bounds
    due = [
        measure
        for measure in Measure.objects.filter(task__section__program=program)
        .exclude(entries__period=period)
        .prefetch_related("responsible_units")
        .order_by("task__section__number", "task__number", "number")
        if is_due_in(measure.deadline, starts_on, ends_on, program.start_year, program.end_year)
    ]
    own = [measure for measure in due if "УП" in {unit.abbreviation for unit in measure.responsible_units.all()}]
    others = [measure for measure in due if measure not in own]
    assert period.state == PeriodState.OPEN
    assert len(own) >= 2
    assert others
    return period, [own[0], own[1], others[0]]


def test_a_quarter_is_reported_consolidated_approved_and_then_locked(quarter, page, sign_in):
    period, (first, second, third) = quarter

    # A unit reporter submits two entries with evidence.
    sign_in("reporter", PASSWORD)
    page.goto("/reports/my/")
    page.get_by_role("link", name=str(period)).first.click()
    for measure, number in ((first, "17/201-25"), (second, "17/202-25")):
        page.goto(f"/reports/periods/{period.pk}/measures/{measure.pk}/")
        page.locator("select[name=status]").select_option("done")
        page.locator("textarea[name=narrative]").fill("Проведено заходи у ІІІ кварталі 2025 року.")
        page.locator("select[name=evidence-kind]").select_option("letter")
        page.locator("input[name=evidence-issuer]").fill("УП")
        page.locator("input[name=evidence-number]").fill(number)
        page.locator("input[name=evidence-issued_on]").fill("25.09.2025")
        page.locator("button[value=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".message-success").count() == 1
    entries = ExecutionEntry.objects.filter(period=period, measure__in=[first, second])
    assert {entry.state for entry in entries} == {EntryState.SUBMITTED}
    assert all(entry.evidence.count() == 1 for entry in entries)
    page.locator("form[action$='/accounts/logout/'] button").click()

    # The secretary fills a third one in the grid, cell by cell, and sees who has not submitted.
    sign_in("secretary", PASSWORD)
    page.goto(f"/reports/periods/{period.pk}/")
    row = page.locator(f"#measure-{third.pk}")
    row.locator("select[name=status]").select_option("in_progress")
    # Waiting with locators, not evaluated strings: the staff pages' CSP refuses eval.
    expect(page.locator(f"#row-{third.pk} [data-version]")).not_to_have_value("0")
    row.locator("textarea[name=narrative]").fill("Триває підготовка навчання.")
    row.locator("textarea[name=narrative]").press("Tab")
    expect(page.locator(f"#measure-{third.pk} [data-sentence]")).to_contain_text("Триває підготовка")
    assert row.locator("[data-sentence]").inner_text() == "Виконується. Триває підготовка навчання."
    panel = page.locator("#not-submitted").inner_text()
    assert "ВПЗВК" in panel
    assert ExecutionEntry.objects.get(period=period, measure=third).narrative == "Триває підготовка навчання."

    page.goto(f"/reports/periods/{period.pk}/review/")
    page.locator("form[action$='send-for-review/'] button").click()
    page.wait_for_load_state()
    page.locator("form[action$='/accounts/logout/'] button").click()

    # The commission approves by its meeting's decision (the meeting is recorded in the set-up).
    commission = Commission.objects.get(organisation=period.program.organisation)
    meeting = Meeting.objects.create(commission=commission, number=99, held_on=period.submission_due)
    AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Про звіт за ІІІ квартал 2025 року",
        decision_kind=DecisionKind.APPROVE_PERIOD_REPORT,
        period=period,
    )
    # The report still has gaps: the page lists them, and approving without a reason is refused beside the field.
    sign_in("commission", PASSWORD)
    page.goto(f"/reports/periods/{period.pk}/review/")
    gaps = page.locator("[data-gaps]").inner_text()
    assert "ВПЗВК" in gaps
    page.locator("form[action$='approve/'] button").click()
    page.wait_for_load_state()
    period.refresh_from_db()
    assert period.state == PeriodState.UNDER_REVIEW
    reason_field = page.locator("form[action$='approve/'] textarea[name=incomplete_reason]")
    assert reason_field.get_attribute("aria-invalid") == "true"
    assert "зазначте причину" in page.locator("form[action$='approve/']").inner_text()
    reason_field.fill(REASON)
    page.locator("form[action$='approve/'] button").click()
    page.wait_for_load_state()
    period.refresh_from_db()
    assert period.state == PeriodState.APPROVED
    assert period.approved_with_gaps == REASON
    assert REASON in page.locator("[data-approved-with-gaps]").inner_text()
    page.locator("form[action$='/accounts/logout/'] button").click()

    # The execution report the worker renders states the reason.
    secretary = get_user_model().objects.get(username="secretary")
    with celery_worker():
        with transaction.atomic():
            report = report_request(user=secretary, kind=ReportKind.EXECUTION, program=period.program, period=period)
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).status in {ReportStatus.READY, ReportStatus.FAILED})
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    with report.file.open("rb") as stored:
        text = pdf_text(stored.read())
    assert "Комісія затвердила цей звіт, попри неповні дані (протокол № 99 " in text
    assert f"Причина: {REASON}" in text

    # A later edit is refused.
    sign_in("reporter", PASSWORD)
    page.goto(f"/reports/periods/{period.pk}/measures/{first.pk}/")
    assert page.locator("form.entry-form").count() == 0
    assert page.locator("main .notice").count() == 1
    response = page.request.post(
        f"/reports/periods/{period.pk}/measures/{first.pk}/save/", form={"version": "1", "narrative": "пізно"}
    )
    assert response.status == 403
