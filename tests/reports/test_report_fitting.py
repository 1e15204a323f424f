"""Cells of the execution report break a word inside only where a word is wider than its column
(`reports.documents.fitting`), and the pages are the ones breaking everywhere gave."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from reports.choices import ReportFormat
from reports.documents import fitting
from reports.documents.content import ExecutionDocument, MeasureRow, SectionGroup, TaskGroup
from reports.documents.fitting import EXECUTION_COLUMNS, has_unfitting_word
from reports.documents.pdf import render_pdf
from reports.documents.services import render_document
from tests.reports.pdf_layout import page_images

STYLESHEET = Path(settings.BASE_DIR) / "static" / "reports" / "pdf.css"
LINK = "https://nazk.gov.ua/uk/documents/antykoruptsijna-programa-2024-2026-rokiv/zatverdzhennia"
NARRATIVE = (
    "Виконано. У І кварталі 2023 року проведено навчання для працівників апарату ДМС та уповноважених підрозділів "
    "(уповноважених осіб) територіальних органів ДМС, участь у якому взяли 232 особи (лист ВПЗВК від 28.03.2023 "
    "№ 17/112-23)."
)


def test_the_measured_table_is_the_stylesheets():
    css = STYLESHEET.read_text()
    widths = {name: float(width) for name, width in re.findall(r"col\.c-(\w+) \{ width: ([\d.]+)%; \}", css)}
    assert widths == EXECUTION_COLUMNS
    assert "size: A4 landscape;\n  margin: 15mm 12mm 16mm 20mm;" in css  # 297 mm less 20 and 12 at the sides
    assert pytest.approx((297 - 32) / 25.4 * 72) == fitting.TABLE_WIDTH_PT
    table = re.search(r"table\.report \{[^}]*\}", css).group()
    assert "font-size: 10pt" in table
    assert fitting.TABLE_FONT_PT == 10
    cells = re.search(r"table\.report th, table\.report td \{[^}]*\}", css).group()
    assert "padding: 1mm 1.2mm" in cells
    assert "border: 0.5pt solid" in cells
    assert pytest.approx(2 * 1.2 / 25.4 * 72 + 0.5) == fitting.CELL_INSET_PT


@pytest.mark.parametrize(
    ("text", "column", "too_wide"),
    [
        ("І квартал", "deadline", False),
        ("Щокварталу", "deadline", False),
        ("щоквартально", "deadline", True),  # 6.0 em in a 5.65 em column
        ("щоквартально", "task", False),
        ("ВПЗВК", "units", False),
        ("ВПЗВКАНТИКОРУПЦІЙНИЙ", "units", True),
        ("Працівники уповноважених підрозділів", "audience", False),
        (NARRATIVE, "status", False),
        (f"Опубліковано на сайті {LINK}", "status", True),
        (LINK, "content", True),
        ("", "status", False),
        ("  \n ", "task", False),
    ],
)
def test_a_word_wider_than_its_column(text, column, too_wide):
    assert has_unfitting_word(text, column) is too_wide


def test_bold_headings_are_measured_bold():
    word = "Антикорупційної"  # 7.41 em regular, 7.86 em bold: each on its side of the units column's 7.67 em
    room = fitting.column_width_pt(EXECUTION_COLUMNS["units"]) * fitting.MARGIN / fitting.TABLE_FONT_PT
    assert fitting.face().width_em(word) < room < fitting.face(bold=True).width_em(word)
    assert has_unfitting_word(word, "units") is False
    assert has_unfitting_word(word, "units", bold=True) is True


def test_without_the_typeface_every_cell_may_break_words(monkeypatch):
    fitting.face.cache_clear()
    monkeypatch.setenv("PATH", "")  # no fc-match: the typeface cannot be found
    try:
        assert fitting.face() is None
        assert has_unfitting_word("І квартал", "status") is True
    finally:
        fitting.face.cache_clear()


def _document() -> ExecutionDocument:
    rows = [
        MeasureRow(
            "1)",
            "Проведення тренінгу «Практичні аспекти»",
            "щоквартально, до 15 числа",
            ["ВПЗВКАНТИКОРУПЦІЙНИЙ", "УП"],
            "Працівники ДМС",
            "Проведено навчання",
            f"Виконано. Див. {LINK} та лист № 17/112-24/0045678912",
        ),
        MeasureRow("2)", "Перевірка кандидатів", "І квартал", ["ВПЗВК"], "Кандидати", "Перевірено", NARRATIVE),
    ] * 6
    return ExecutionDocument(
        organisation="Державна міграційна служба України",
        title="Інформація про стан виконання заходів",
        columns=[
            "Найменування завдання",
            "Зміст заходу",
            "Строк виконання",
            "Антикорупційної",
            "Цільова аудиторія",
            "Індикатор виконання",
            "Стан виконання",
        ],
        sections=[
            SectionGroup("І. Програма навчань", [TaskGroup("1. Навчання та заходи з поширення інформації", rows)])
        ],
    )


def test_only_cells_with_an_unfitting_word_break_words_and_the_pages_are_the_same(tmp_path):
    document = _document()
    with translation.override("uk"):
        html = render_to_string(document.template, {"document": document, "LANGUAGE_CODE": "uk"})
    marked = re.findall(r"<t[dh][^>]*\bbreaks\b[^>]*>([^<]{0,14})", html)
    # The deadline, the units, the link's cell and the bold heading «Антикорупційної»; not the plain rows.
    assert sorted(marked) == sorted(["Антикорупційно"] + ["щоквартально, ", "ВПЗВКАНТИКОРУП", "Виконано. Див."] * 6)

    everywhere = render_pdf(html.replace('class="report fitted"', 'class="report"'))
    (tmp_path / "fitted").mkdir()
    (tmp_path / "everywhere").mkdir()
    (tmp_path / "fitted" / "report.pdf").write_bytes(render_pdf(html))
    (tmp_path / "everywhere" / "report.pdf").write_bytes(everywhere)
    fitted_pages = page_images(tmp_path / "fitted" / "report.pdf", tmp_path / "fitted", first=1, last=9)
    everywhere_pages = page_images(tmp_path / "everywhere" / "report.pdf", tmp_path / "everywhere", first=1, last=9)
    assert len(fitted_pages) == len(everywhere_pages) >= 2
    assert [page.read_bytes() for page in fitted_pages] == [page.read_bytes() for page in everywhere_pages]
    # The worker's own path gives that file.
    assert render_document(document, file_format=ReportFormat.PDF, language="uk")[:5] == b"%PDF-"
