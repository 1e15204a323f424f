"""Issue 16 item 3 in Chromium, from an empty database: the secretary opens the annual re-assessment, scores both
risks (a missing reason is refused beside its field), reads the two lists; the commission records its decision; the
register shows the new level; the secretary asks for the updated register and the worker renders it."""

import pytest
from django.db import transaction

from core.roles import Role
from reports.choices import ReportStatus
from reports.documents.models import GeneratedReport
from tests.conftest import build_program, member
from tests.factories import MeasureFactory, UnitFactory
from tests.reports.test_worker import pdf_text
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "reassess-2026"


@pytest.fixture
def world(transactional_db, organisation):
    units = [
        UnitFactory(organisation=organisation, abbreviation="УП", name="Управління персоналу"),
        UnitFactory(organisation=organisation, abbreviation="УКЕС", name="Управління контролю"),
    ]
    content = build_program(organisation, units, title="Антикорупційна програма ГУДМС")
    # A measure of the risk-treatment section that names no risk: the working group must see it.
    MeasureFactory(
        task=content.measures["unit_quarter"].task, number=4, content="Перевірити декларації кандидатів", risks=[]
    )
    for role, username in ((Role.SECRETARY, "secretary"), (Role.COMMISSION, "member")):
        person = member(role, organisation, username=username)
        person.set_password(PASSWORD)
        person.save()
    return content


def score(page, risk, probability, consequence, reasons: str) -> None:
    row = page.locator(f"#risk-{risk.pk}")
    row.locator("select[name$='-probability']").select_option(str(probability.pk))
    row.locator("select[name$='-consequence']").select_option(str(consequence.pk))
    row.locator("textarea[name$='-reasons']").fill(reasons)
    row.get_by_role("button", name="Зберегти нову оцінку").click()
    page.wait_for_load_state()


def test_the_annual_reassessment_moves_the_register_and_prints_it(world, page, sign_in):
    program = world.program
    high, low = world.risks
    matrix = program.risk_matrix
    p = {level.score: level for level in matrix.probabilities.all()}
    c = {level.score: level for level in matrix.consequences.all()}

    # The secretary opens the round for 2024.
    sign_in("secretary", PASSWORD)
    page.goto(f"/programs/{program.pk}/risks/")
    page.get_by_role("link", name="Щорічна переоцінка").click()
    page.locator("#round-open input[name=year]").fill("2024")
    page.get_by_role("button", name="Відкрити переоцінку").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Переоцінка корупційних ризиків, 2024"

    # A score without reasons is refused beside the field; with them it is recorded next to the current score.
    score(page, high, p[2], c[3], "")
    assert "Наведіть обґрунтування нової оцінки." in page.locator(f"#risk-{high.pk} .field-errors").inner_text()
    score(page, high, p[2], c[3], "Запроваджено відкритий конкурс; вплив на комісію менш імовірний")
    score(page, low, p[3], c[3], "Скарги громадян на неоприлюднені рішення")
    assert "3 × 3" in page.locator(f"#risk-{high.pk} .score-now").inner_text()
    assert "2 × 3" in page.locator(f"#risk-{high.pk} .score-new").inner_text()
    assert page.locator("#round-progress").inner_text() == "2 з 2"

    # The two lists: every risk is treated; a measure names no risk; trainings are listed apart, needing nothing.
    assert "На кожен ризик спрямовано щонайменше один захід." in page.locator("#risks-without-measures").inner_text()
    untreated = page.locator("#measures-without-risks")
    assert "Перевірити декларації кандидатів" in untreated.locator("ul").first.inner_text()
    assert "Провести навчання" in untreated.locator("#measures-treating-none-by-nature").inner_text()
    page.context.clear_cookies()

    # The commission records its decision.
    sign_in("member", PASSWORD)
    page.goto(f"/programs/{program.pk}/risks/reassessments/")
    page.get_by_role("link", name="2024", exact=True).click()
    page.get_by_role("link", name="Внести рішення комісії").click()
    page.fill("input[name=decision_date]", "2024-12-20")
    page.fill("input[name=decision_number]", "Протокол № 7")
    page.fill("textarea[name=decision_text]", "Схвалити оновлений реєстр корупційних ризиків")
    page.get_by_role("button", name="Зафіксувати рішення").click()
    page.wait_for_load_state()
    assert page.locator("#round-status").get_attribute("data-status") == "decided"
    assert page.locator("form.reassessment-form").count() == 0

    # The register shows the new levels: risk № 2 rises from low (1 × 2) to high (3 × 3).
    page.goto(f"/programs/{program.pk}/risks/")
    row = page.locator("table.data-table tbody tr").nth(1)
    assert "Неповне оприлюднення" in row.inner_text()
    assert row.locator(".level-high").count() == 2
    page.goto(f"/programs/{program.pk}/risks/{low.pk}/")
    assert "Переоцінка корупційних ризиків, 2024" in page.locator("#residual-trail").inner_text()
    page.context.clear_cookies()

    # The secretary asks for the updated register; the worker renders it.
    sign_in("secretary", PASSWORD)
    page.goto(f"/programs/{program.pk}/risks/reassessments/")
    page.get_by_role("link", name="2024", exact=True).click()
    with celery_worker():
        page.get_by_role("button", name="Сформувати оновлений реєстр (PDF)").click()
        page.wait_for_load_state()
        assert "/reports/" in page.url
        with transaction.atomic():
            report = GeneratedReport.objects.get(program=program)
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).status in {ReportStatus.READY, ReportStatus.FAILED})
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    # The page refreshes itself every 3 s while the report is rendered (a reload of ours could cross that navigation):
    # the download link appears on its own.
    page.locator(f"a[href$='/reports/{report.pk}/download/']").first.wait_for(timeout=20_000)
    with report.file.open("rb") as stored:
        text = " ".join(pdf_text(stored.read()).split())
    assert "переоцінений за 2024 рік і схвалений рішенням комісії від 20.12.2024 № Протокол № 7" in text
    assert text.index("Вплив на членів") < text.index("Неповне оприлюднення")
