"""The secretary brings a program in from Word in Chromium: upload, a deadline the portal cannot read corrected in
the preview, import, and the measures on the program's page."""

from dataclasses import replace

import pytest

from measures.models import Measure
from programs.choices import ProgramStatus
from programs.models import Organisation
from tests.demo_snapshot import load_demo
from tests.factories import ProgramFactory
from tests.measures.word_files import program_docx, seed_000_sections, seed_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(transactional_db):
    load_demo()
    organisation = Organisation.objects.get(short_name="ДМС")
    return ProgramFactory(organisation=organisation, title="Антикорупційна програма ДМС на 2026–2028 роки",
                          start_year=2026, end_year=2028, status=ProgramStatus.DRAFT)  # fmt: skip


def test_the_secretary_uploads_a_word_program_corrects_a_deadline_and_imports_it(draft, page, sign_in):
    rows = seed_rows()
    rows[2] = replace(rows[2], deadline="щотижня")
    content = program_docx(sections=seed_000_sections(), measures=rows)
    sign_in("secretary", "demo-portal-2026")

    page.goto(f"/programs/{draft.pk}/")
    page.locator(f"a[href='/programs/{draft.pk}/measures/import-word/']").click()
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "програма.docx", "mimeType": "application/octet-stream", "buffer": content}],
    )
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()

    # The preview keeps the unreadable deadline as written, with the reason, and offers no import yet.
    field = page.locator("input[value='щотижня']")
    assert field.is_visible()
    assert page.locator("button[name=import]").count() == 0
    assert page.locator("#import-counts").inner_text().split("\n")[-1].split("\t")[1:] == ["8", "0", "0", "1"]
    field.fill("ІІІ квартал")
    page.locator("button[name=check]").click()
    page.wait_for_load_state()
    page.locator("button[name=import]").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"/programs/{draft.pk}/")
    assert "Імпортовано з Word" in page.locator(".messages").inner_text()
    body = page.locator("main").inner_text()
    assert "Проведення тренінгу «Доброчесність" in body
    assert Measure.objects.filter(task__section__program=draft).count() == 9
    assert (
        Measure.objects.get(
            task__section__program=draft, content__startswith="Проведення тренінгу «Доброч"
        ).deadline_part
        == 3
    )
