"""The whole first quarter of a real body in Chromium, from an EMPTY database (no load_demo).

The getting-started command; the administrator invites a secretary, a reporter and a commission member (links read
from the e-mails); the secretary creates the program, a section and two measures and moves the program into force;
the periods appear by themselves; the reporter submits; the commission member evaluates; the quarter is approved at
a meeting; the worker renders the execution report, read back from the PDF.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from core.periods import PeriodKind
from core.roles import Role
from programs.choices import CommissionRole, DecisionKind, ProgramStatus
from programs.models import AgendaItem, Commission, CommissionMember, Meeting, Program
from reports.choices import EntryState, PeriodState, ReportKind, ReportStatus
from reports.documents.models import GeneratedReport
from reports.documents.services import report_request
from reports.execution.models import ExecutionEntry, ReportingPeriod
from risks.presets import ensure_presets
from tests.browser.dayone import PASSWORD, accept, add_unit, getting_started, invite, sign_in, sign_out
from tests.reports.test_worker import pdf_text
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
PROGRAM = f"Антикорупційна програма Держпраці на {TODAY.year}–{TODAY.year + 2} роки"
MEASURES = {
    "every_quarter": "Проводити щоквартальний моніторинг декларування працівниками",
    "continuous": "Повідомляти НАЗК про виявлені порушення антикорупційного законодавства",
}


def create_program(page) -> Program:
    page.goto("/programs/new/")
    page.fill("input[name=title]", PROGRAM)
    page.fill("input[name=start_year]", str(TODAY.year))
    page.fill("input[name=end_year]", str(TODAY.year + 2))
    page.select_option("select[name=risk_matrix]", label="Методологія НАЗК 2021 (наказ № 830/21)")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Program.objects.filter(title=PROGRAM).exists(), page.locator("main").inner_text()[:1500]
    return Program.objects.get(title=PROGRAM)


def add_section_and_measures(page, program: Program) -> None:
    page.goto(f"/programs/{program.pk}/measures/")
    page.get_by_role("link", name="Додати розділ заходів").first.click()
    page.fill("input[name=title]", "Заходи щодо усунення корупційних ризиків")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/measures/new/" in page.url  # straight on to the section's first measure
    for number, (kind, content) in enumerate(MEASURES.items(), start=1):
        if number > 1:
            page.goto(f"/programs/{program.pk}/measures/new/")
        if number == 1:
            page.select_option("select[name=new_task_section]", index=1)
            page.fill("input[name=new_task_title]", "Запобігання конфлікту інтересів")
        else:
            page.select_option("select[name=task]", index=1)
        page.fill("input[name=number]", str(number))
        page.fill("textarea[name=content]", content)
        page.select_option("select[name=deadline_kind]", kind)
        page.get_by_label("УП — Управління персоналу", exact=True).check()
        page.locator("form.card > p > button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name=content).is_visible(), page.locator("main").inner_text()[:800]


def move_into_force(page, program: Program) -> None:
    for status in (ProgramStatus.APPROVED, ProgramStatus.IN_FORCE):
        page.goto(f"/programs/{program.pk}/status/")
        page.select_option("select[name=to_status]", status)
        if status == ProgramStatus.APPROVED:
            page.fill("input[name=document_number]", "12-од")
            page.fill("input[name=document_date]", TODAY.isoformat())
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    program.refresh_from_db()
    assert program.status == ProgramStatus.IN_FORCE


def test_a_body_runs_its_first_quarter_from_an_empty_database(page):
    # A freshly migrated database holds the NAZK matrix presets (risks migration 0002); a transactional test starts
    # from a flushed one, so put them back as the migration does.
    ensure_presets()
    # Day one: the administrator and the people.
    getting_started(page)
    add_unit(page, "УП", "Управління персоналу")
    links = {
        "secretary@dsp.gov.ua": invite(page, "secretary@dsp.gov.ua", Role.SECRETARY),
        "reporter@dsp.gov.ua": invite(page, "reporter@dsp.gov.ua", Role.REPORTER, unit="УП"),
        "member@dsp.gov.ua": invite(page, "member@dsp.gov.ua", Role.COMMISSION),
    }
    sign_out(page)
    for link in links.values():
        accept(page, link, PASSWORD)
        sign_out(page)

    # The secretary builds the program and brings it into force; its periods appear by themselves.
    sign_in(page, "secretary@dsp.gov.ua")
    program = create_program(page)
    add_section_and_measures(page, program)
    assert not ReportingPeriod.objects.filter(program=program).exists()
    move_into_force(page, program)
    quarter = ReportingPeriod.objects.get(
        program=program, kind=PeriodKind.QUARTER, year=TODAY.year, number=(TODAY.month - 1) // 3 + 1
    )
    # In force from today: the quarters that ended before are never reported, the current one and the rest are.
    assert ReportingPeriod.objects.filter(program=program, kind=PeriodKind.QUARTER).count() == 12 - (quarter.number - 1)
    assert quarter.has_begun()
    assert quarter.state == PeriodState.OPEN
    page.goto(f"/programs/{program.pk}/")
    sign_out(page)

    # The reporter finds both measures on the start page and submits them.
    sign_in(page, "reporter@dsp.gov.ua")
    todo = page.locator("[data-todo=reporter]")
    assert all(content[:40] in todo.inner_text() for content in MEASURES.values())
    for content in MEASURES.values():
        page.goto("/")
        # Every quarter of this year has begun: the current one's card is the one to report in.
        card = page.locator("[data-todo=reporter] article").filter(
            has=page.locator(f"h3 a[href='/reports/periods/{quarter.pk}/']")
        )
        card.get_by_role("link", name=content[:30]).click()
        page.wait_for_load_state()
        page.locator("select[name=status]").select_option("done")
        page.locator("textarea[name=narrative]").fill("Виконано у звітному кварталі, протокол наради № 3.")
        page.locator("button[value=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".message-success").count() == 1, page.locator("main").inner_text()[:600]
    assert set(ExecutionEntry.objects.filter(period=quarter).values_list("state", flat=True)) == {EntryState.SUBMITTED}
    sign_out(page)

    # The secretary sends the quarter to the commission.
    sign_in(page, "secretary@dsp.gov.ua")
    page.goto(f"/reports/periods/{quarter.pk}/review/")
    page.locator("form[action$='send-for-review/'] button").click()
    page.wait_for_load_state()
    sign_out(page)

    # The commission's meeting decides on the report (recorded in the set-up, as the commission pages are not the
    # subject here); the member evaluates both entries and approves by that decision.
    commission = Commission.objects.create(
        organisation=program.organisation, name="Комісія з питань запобігання корупції"
    )
    CommissionMember.objects.create(commission=commission, full_name="Коваль О. П.", role=CommissionRole.CHAIR)
    meeting = Meeting.objects.create(commission=commission, number=1, held_on=TODAY)
    AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title=f"Про звіт за {quarter}",
        decision_kind=DecisionKind.APPROVE_PERIOD_REPORT,
        period=quarter,
    )
    sign_in(page, "member@dsp.gov.ua")
    page.goto(f"/reports/periods/{quarter.pk}/review/")
    for _ in MEASURES:
        form = page.locator("form.evaluation-form").filter(has=page.locator("option[value=''][selected]")).first
        for field in ("timeliness", "completeness", "effectiveness"):
            form.locator(f"select[name={field}]").select_option("met")
        form.locator("button").click()
        page.wait_for_load_state()
    assert "data-gaps-none" in page.content()
    page.locator("form[action$='approve/'] button").click()
    page.wait_for_load_state()
    quarter.refresh_from_db()
    assert quarter.state == PeriodState.APPROVED
    assert quarter.approved_with_gaps == ""

    # The worker renders the execution report.
    secretary = program.organisation.memberships.get(role=Role.SECRETARY).user
    with celery_worker():
        with transaction.atomic():
            report = report_request(user=secretary, kind=ReportKind.EXECUTION, program=program, period=quarter)
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).status in {ReportStatus.READY, ReportStatus.FAILED})
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    with report.file.open("rb") as stored:
        text = pdf_text(stored.read())
    assert "Державна служба України з питань праці" in text
    assert MEASURES["every_quarter"] in text
    assert "Виконано. Виконано у звітному кварталі, протокол наради № 3." in text
