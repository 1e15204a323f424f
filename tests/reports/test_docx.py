"""Reports as Word files, rendered by the worker like the PDFs and read back with python-docx."""

import io
import shutil
import subprocess

import docx
import pytest
from pypdf import PdfReader

from core.periods import PeriodKind
from programs.models import Program
from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.content import execution_document
from reports.documents.docx import columns_of, render_docx
from reports.documents.models import GeneratedReport
from reports.documents.services import report_render, report_request
from tests.programs.test_demo import normalise, seed_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def dms_program(demo_once, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return Program.objects.get(organisation__short_name="ДМС", start_year=2023)


def secretary():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="secretary")


def rendered_docx(report: GeneratedReport):
    report = report_render(report_id=report.pk)
    assert report.status == ReportStatus.READY, report.error
    return docx.Document(io.BytesIO(report.file.open("rb").read()))


def table_rows(table) -> list[list[str]]:
    return [[normalise(cell.text) for cell in row.cells] for row in table.rows]


def test_the_execution_report_in_word_has_the_title_sentence_headers_and_every_seed_row_in_order(dms_program):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    report = report_request(
        user=secretary(), kind=ReportKind.EXECUTION, program=dms_program, period=period, file_format=ReportFormat.DOCX
    )

    word = rendered_docx(report)
    document = execution_document(program=dms_program, period=period)
    paragraphs = [normalise(paragraph.text) for paragraph in word.paragraphs]
    rows = table_rows(word.tables[0])

    assert normalise(document.title) in paragraphs  # the builder's title sentence, whatever its wording
    # Above the title, as in the PDF: the annex heading where the program defines one, else the organisation.
    top = "\n".join(getattr(document, "annex_heading", None) or [document.organisation])
    assert normalise(top) in paragraphs
    assert rows[0] == [normalise(heading) for heading in columns_of(document)]  # the builder's, not typed again
    assert rows[0][0] == "Найменування завдання"
    assert rows[0][-1] == "Стан виконання"
    assert rows[1] == [str(number) for number in range(1, 8)]
    expected = [
        [
            normalise(task.title),
            normalise(f"{row.label} {row.content}".strip()),
            normalise(row.deadline),
            normalise(" ".join(row.units)),
            normalise(row.audience),
            normalise(row.indicator),
            normalise(row.status),
        ]
        for section in document.sections
        for task in section.tasks
        for row in task.rows
    ]
    measures = [row for row in rows[2:] if len(set(row)) > 1]
    assert measures == expected  # the builder's rows, in its order, cell for cell
    # … and seed 001's nine measures among them, in the seed's order.
    contents = [row[1] for row in measures]
    positions = [
        next(i for i, text in enumerate(contents) if text.startswith(normalise(seed.content)[:60]))
        for seed in seed_rows()
    ]
    assert positions == sorted(positions)
    first_task_cells = word.tables[0]._tbl.tr_lst[3].tc_lst[0]
    assert first_task_cells.vMerge == "restart"
    assert word.tables[0]._tbl.tr_lst[4].tc_lst[0].vMerge == "continue"
    # Section titles run across the table.
    assert rows[2] == [normalise(document.sections[0].title)] * 7
    assert report.get_format_display() == "Word (.docx)"


def test_the_program_document_in_word_has_its_sections_risks_measures_and_abbreviations(dms_program):
    report = report_request(user=secretary(), kind=ReportKind.PROGRAM, program=dms_program, file_format="docx")

    word = rendered_docx(report)
    headings = [
        normalise(paragraph.text) for paragraph in word.paragraphs if paragraph.style.name.startswith("Heading")
    ]
    text = "\n".join(normalise(paragraph.text) for paragraph in word.paragraphs)

    assert headings[0] == normalise(dms_program.title)
    sections = [normalise(section.title) for section in dms_program.sections.order_by("position")]
    assert headings[1 : 1 + len(sections)] == sections
    assert headings[-3:] == ["Реєстр корупційних ризиків", "Заходи", "Перелік скорочень"]
    assert "ВПЗВК – Відділ з питань запобігання та виявлення корупції;" in text
    risks, plan = word.tables
    first_risk = dms_program.risks.order_by("number").first()
    assert table_rows(risks)[1][0] == str(first_risk.number)
    assert normalise(first_risk.title) in table_rows(risks)[1]
    assert table_rows(plan)[0][-1] == "Ризики, на які спрямовано захід"


def test_form_1_in_word_is_in_russian_with_the_seed_columns(dms_program):
    kg = Program.objects.get(organisation__short_name="ГСМ при ПКР")
    period = kg.periods.get(kind=PeriodKind.YEAR, year=2017)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="kg-secretary")
    report = report_request(user=user, kind=ReportKind.FORM1, program=kg, period=period, file_format="docx")

    word = rendered_docx(report)
    headers = table_rows(word.tables[0])[0]

    assert headers[1:3] == ["Мероприятия", "Промежуточные результаты"]
    assert any(paragraph.text.startswith("Форма 1") for paragraph in word.paragraphs)
    footer = word.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Сформировано порталом антикоррупционных программ")  # on every page, in Russian
    assert "Страница" in footer
    assert report.language == "ru"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_word_file_and_prints_the_same_table(dms_program, tmp_path):
    period = dms_program.periods.get(kind=PeriodKind.YEAR, year=2023)
    document = execution_document(program=dms_program, period=period)
    source = tmp_path / "execution.docx"
    source.write_bytes(render_docx(document, language="uk"))

    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )

    text = normalise(" ".join(page.extract_text() for page in PdfReader(tmp_path / "execution.pdf").pages))
    assert "Найменування завдання" in text
    assert normalise(seed_rows()[-1].content)[:40] in text
