"""The execution report and Form 1 as a reviewer compares them with the originals (seeds 001 and 004): the same
sentences row by row, set like a typed annex, tagged for screen readers, named for what they are.

Each document is rendered once for real with WeasyPrint and read back with poppler (pdftotext, pdftoppm) and pypdf.
"""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader

from core.periods import PeriodKind
from programs.models import Program
from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.content import execution_document
from reports.documents.program import form1_document
from reports.documents.services import ReportRequestError, report_publish, report_render, report_request
from tests.programs.test_demo import normalise, seed_rows
from tests.reports.pdf_layout import (
    bare,
    broken_words,
    flat,
    found_in_order,
    page_images,
    pages_of,
    words_in_reading_order,
)
from tests.second_factor import verified_login

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_001 = (DATA / "seed_001.txt").read_text(encoding="utf-8")
SEED_004 = (DATA / "seed_004_form1.txt").read_text(encoding="utf-8")
# The page's foot holds the page number and the generation note: 16 mm margin.
FOOT = 16 / 25.4 * 72


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture(scope="module")
def rendered_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for this module, its execution report for 2023 and Form 1 for 2017 rendered as files.

    Everything happens inside one transaction rolled back after the module, as Django's setUpTestData does: each
    test's own transaction is a savepoint within it."""
    from django.contrib.auth import get_user_model

    out = tmp_path_factory.mktemp("documents")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", allow_production=True, verbosity=0)
            users = get_user_model().objects
            dms = Program.objects.get(organisation__short_name="ДМС", start_year=2023)
            kg = Program.objects.get(organisation__short_name="ГСМ при ПКР")
            files = {}
            for name, kind, user, program, period in (
                ("execution", ReportKind.EXECUTION, "secretary", dms, dms.periods.get(kind=PeriodKind.YEAR, year=2023)),
                ("form1", ReportKind.FORM1, "kg-secretary", kg, kg.periods.get(kind=PeriodKind.YEAR, year=2017)),
            ):
                report = report_request(user=users.get(username=user), kind=kind, program=program, period=period)
                report = report_render(report_id=report.pk)
                assert report.status == ReportStatus.READY, report.error
                files[name] = out / f"{name}.pdf"
                files[name].write_bytes(report.file.open("rb").read())
            yield {"files": files, "out": out}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- seed 001 -----------------------------------------------------------------------------------------------------


def seed_001_opening() -> tuple[list[str], str, list[str]]:
    """(annex heading lines, title sentence, column headings) of seed 001."""
    before_table, _, _ = SEED_001.partition("\n\t")
    blocks = [block.strip() for block in re.split(r"\n\s*\n", before_table) if block.strip()]
    heading = [line.strip() for line in blocks[0].splitlines()]
    title = " ".join(blocks[1].split())
    lines = SEED_001.splitlines()
    start = next(index for index, line in enumerate(lines) if line.strip() == "Найменування завдання")
    columns = [line.strip() for line in lines[start : start + 7]]
    return heading, title, columns


@pytest.fixture
def demo_2023(rendered_demo):
    program = Program.objects.get(organisation__short_name="ДМС", start_year=2023)
    return program, program.periods.get(kind=PeriodKind.YEAR, year=2023)


def test_the_execution_report_opens_as_seed_001_with_its_annex_heading_title_and_columns(demo_2023):
    heading, title, columns = seed_001_opening()

    document = execution_document(program=demo_2023[0], period=demo_2023[1])

    assert [normalise(line) for line in document.annex_heading] == [normalise(line) for line in heading]
    assert normalise(document.title) == normalise(title)
    assert document.columns == columns


def test_the_execution_report_reproduces_seed_001_row_by_row(demo_2023):
    document = execution_document(program=demo_2023[0], period=demo_2023[1])
    printed = [
        (section.title, task.title, row) for section in document.sections for task in section.tasks for row in task.rows
    ]
    rows = seed_rows()

    assert len(printed) >= len(rows)
    for index, (seed, (section, task, row)) in enumerate(zip(rows, printed, strict=False)):
        where = f"seed 001 row {index + 1}"
        assert normalise(section) == normalise(seed.section), where
        assert normalise(task) == normalise(seed.task), where
        assert normalise(f"{row.label} {row.content}") == normalise(seed.content), where
        assert normalise(row.deadline) == normalise(seed.deadline), where
        # In the order the measure lists them, as the seed prints them.
        seed_units = [line.strip() for line in seed.units_in_order if line.strip()]
        assert row.units == seed_units, where
        assert normalise(row.audience) == normalise(seed.audience), where
        assert normalise(row.indicator) == normalise(seed.indicator), where
        assert normalise(row.status) == normalise(seed.status), where


def test_the_printed_execution_report_reads_as_seed_001_row_by_row(rendered_demo):
    text = flat(pdf_text(rendered_demo["files"]["execution"].read_bytes()))
    heading, title, columns = seed_001_opening()

    position = 0
    for part in [*heading, title, *columns]:
        found = found_in_order(part, text, position)
        assert found, f"not in the PDF in order: {part}"
        position = found[1]
    for index, row in enumerate(seed_rows()):
        # A row's cells follow its measure; a row split over two pages prints each cell's rest after the page break.
        content = found_in_order(row.content, text, position)
        assert content, f"seed 001 row {index + 1}: measure not in the PDF in order: {normalise(row.content)[:80]}"
        units = found_in_order(" ".join(row.units_in_order), text, content[0])
        assert units, f"seed 001 row {index + 1}: units not in this order: {row.units_in_order}"
        for cell in (row.deadline, row.audience, row.indicator, row.status):
            found = found_in_order(cell, text, content[0])
            assert found, f"seed 001 row {index + 1}: not in the PDF in order: {normalise(cell)[:80]}"
        position = content[0] + 1


# --- seed 004 -----------------------------------------------------------------------------------------------------


def seed_004_header() -> dict[str, str]:
    lines = [line.strip() for line in SEED_004.splitlines() if line.strip()]
    value = {line.split(":", 1)[0]: line for line in lines if ":" in line}
    return {
        "title": lines[1],
        "period": value["Период предоставления отчетности"].split("(")[0],
        "points": next(line for line in lines if line.startswith("(пункты")),
    }


def seed_004_items() -> dict[int, dict[str, str]]:
    """Form 1's rows by item number: the measure, the results and the status cell's opening, from the extraction's
    tab-separated first line of each row (the <p> paragraphs continue cells across pages)."""
    items = {}
    for line in SEED_004.splitlines():
        cells = line.split("\t")
        if len(cells) >= 4 and cells[0].strip().isdigit() and int(cells[0]) > 10:
            strip = [re.sub(r"<[^>]+>", " ", cell).strip() for cell in cells]
            items[int(cells[0])] = {"measure": strip[1], "results": strip[2], "status": strip[3]}
    return items


@pytest.fixture
def demo_2017(rendered_demo):
    program = Program.objects.get(organisation__short_name="ГСМ при ПКР")
    return program, program.periods.get(kind=PeriodKind.YEAR, year=2017)


def test_form_1_opens_as_seed_004_title_period_and_covered_points(demo_2017):
    seed = seed_004_header()

    document = form1_document(program=demo_2017[0], period=demo_2017[1])

    assert flat(document.title) == flat(seed["title"])
    assert flat(document.period) == flat(seed["period"].split(":", 1)[1]) == flat("за 2016–2017 г.")
    assert flat(document.points) == flat(seed["points"])


def test_form_1_reproduces_the_rows_of_seed_004(demo_2017):
    document = form1_document(program=demo_2017[0], period=demo_2017[1])
    rows = {int(row.number): row for section in document.sections for row in section.rows if row.number}

    for number, seed in seed_004_items().items():
        row = rows[number]
        assert flat(row.measure) == flat(seed["measure"]), number
        assert flat(row.results).startswith(flat(seed["results"])[:200]), number
        # The status word opens the cell, no full stop after it (seed: «Исполнено», «Исполнено частично»); item 15's
        # cell runs on («Исполнен 29 июня …»): the portal's word is the other rows' «Исполнено».
        word = row.reasons.splitlines()[0]
        assert word in ("Исполнено", "Исполнено частично"), number
        if number != 15:
            assert flat(seed["status"]).startswith(flat(word)), number


def test_the_printed_form_1_reads_as_seed_004(rendered_demo):
    text = flat(pdf_text(rendered_demo["files"]["form1"].read_bytes()))
    seed = seed_004_header()

    position = 0
    for part in ["Форма 1.", seed["title"], seed["period"], seed["points"]]:
        found = found_in_order(part, text, position)
        assert found, f"not in the PDF in order: {part}"
        position = found[1]
    for number, item in seed_004_items().items():
        found = found_in_order(f"{number} {item['measure']}", text, position)
        assert found, f"seed 004 item {number}: not in order: {item['measure'][:80]}"
        results = found_in_order(" ".join(item["results"].split()[:25]), text, found[0])
        assert results, f"seed 004 item {number}: results not in order: {item['results'][:80]}"
        position = found[1]
    assert "Исполнено." not in pdf_text(rendered_demo["files"]["form1"].read_bytes())


def test_form_1_of_a_ukrainian_program_is_refused_with_a_reason(demo_2023):
    from django.contrib.auth import get_user_model

    program, period = demo_2023
    with pytest.raises(ReportRequestError) as error, translation.override("uk"):
        report_request(
            user=get_user_model().objects.get(username="secretary"),
            kind=ReportKind.FORM1,
            program=program,
            period=period,
        )

    assert "Форма 1" in error.value.message_dict["kind"][0]


# --- typesetting --------------------------------------------------------------------------------------------------


def source_words(name: str, rendered_demo) -> set[str]:
    """Every word the document's HTML holds, and the page foot's: what a printed word may be."""
    if name == "execution":
        program, period = Program.objects.get(organisation__short_name="ДМС", start_year=2023), None
        period = program.periods.get(kind=PeriodKind.YEAR, year=2023)
        document, language = execution_document(program=program, period=period), "uk"
    else:
        program = Program.objects.get(organisation__short_name="ГСМ при ПКР")
        document = form1_document(program=program, period=program.periods.get(kind=PeriodKind.YEAR, year=2017))
        language = "ru"
    with translation.override(language):
        html = render_to_string(
            document.template, {"document": document, "generated_on": timezone.localdate(), "LANGUAGE_CODE": language}
        )
    body = html.split("<body", 1)[1]
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    foot = " ".join(re.findall(r'"([^"]*)"', style))
    # Every tag parts words: cells touch in the markup («…</th><th>…») but not on the page.
    words = {bare(word) for word in unescape(re.sub(r"<[^>]+>", " ", body)).split()}
    return words | {bare(word) for word in foot.split()}


@pytest.mark.parametrize("name", ["execution", "form1"])
def test_no_word_is_broken_without_a_hyphen(rendered_demo, name):
    pages = pages_of(rendered_demo["files"][name])

    broken = broken_words(words_in_reading_order(pages), source_words(name, rendered_demo))

    assert broken == []


@pytest.mark.parametrize("name", ["execution", "form1"])
def test_the_body_font_has_times_new_roman_metrics(rendered_demo, name):
    import subprocess

    fonts = subprocess.run(
        ["pdffonts", str(rendered_demo["files"][name])], capture_output=True, text=True, check=True
    ).stdout
    families = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}

    assert families
    assert all(family.replace("-", "").startswith("LiberationSerif") for family in families), families


def section_titles(name: str) -> list[str]:
    if name == "execution":
        program = Program.objects.get(organisation__short_name="ДМС", start_year=2023)
        document = execution_document(program=program, period=program.periods.get(kind=PeriodKind.YEAR, year=2023))
    else:
        program = Program.objects.get(organisation__short_name="ГСМ при ПКР")
        document = form1_document(program=program, period=program.periods.get(kind=PeriodKind.YEAR, year=2017))
    return [section.title for section in document.sections]


def title_line(page, title: str):
    """The words of a section title's first line on `page` (a title row spans the whole table width), or None."""
    first = title.split()[:3]
    words = page.words
    for index in range(len(words) - len(first) + 1):
        if [word.text for word in words[index : index + len(first)]] == first:
            return words[index]
    return None


@pytest.mark.parametrize("name", ["execution", "form1"])
def test_no_section_title_stands_alone_at_the_foot_of_a_page(rendered_demo, name):
    pages = pages_of(rendered_demo["files"][name])
    titles = section_titles(name)

    seen = 0
    for title in titles:
        for page in pages:
            start = title_line(page, title)
            if start is None:
                continue
            seen += 1
            # Below the title's lines on the same page there must be a row of the section, above the page's foot.
            title_words = len(title.split())
            following = page.body_words(FOOT)
            position = following.index(start)
            below = [word for word in following[position + title_words :] if word.y_min > start.y_max]
            assert below, f"{name}: «{title}» is the last thing on page {page.number}"
    assert seen == len(titles)


@pytest.mark.parametrize("name", ["execution", "form1"])
def test_no_page_holds_only_its_foot_and_the_first_and_last_pages_are_drawn(rendered_demo, name):
    pdf = rendered_demo["files"][name]
    pages = pages_of(pdf)

    assert all(page.body_words(FOOT) for page in pages), [page.number for page in pages if not page.body_words(FOOT)]
    images = page_images(pdf, rendered_demo["out"], first=1, last=1) + page_images(
        pdf, rendered_demo["out"], first=len(pages), last=len(pages)
    )
    assert {image.stat().st_size > 5000 for image in images} == {True}


# --- accessible and archival; names; the public page ---------------------------------------------------------------


def structure_roles(node, seen: set[str]) -> set[str]:
    """The roles (/S) of a tagged PDF's structure tree, walked from `node`."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            structure_roles(child, seen)
    elif hasattr(node, "get"):
        if "/S" in node:
            seen.add(str(node["/S"]))
        if "/K" in node:
            structure_roles(node["/K"], seen)
    return seen


def test_the_published_pdf_is_tagged_pdf_ua_with_its_table_structure(rendered_demo):
    reader = PdfReader(io.BytesIO(rendered_demo["files"]["execution"].read_bytes()))
    root = reader.trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data()

    assert b"pdfuaid:part" in metadata
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "uk"
    # A screen reader walks the table as table, rows, heading cells and data cells.
    assert {"/Table", "/TR", "/TH", "/TD"} <= structure_roles(root["/StructTreeRoot"], set())


def test_the_download_is_named_for_what_it_is(demo_2023, client):
    from django.contrib.auth import get_user_model

    program, period = demo_2023
    secretary = get_user_model().objects.get(username="secretary")
    report = report_request(user=secretary, kind=ReportKind.EXECUTION, program=program, period=period)
    report_render(report_id=report.pk)
    verified_login(client, secretary)

    response = client.get(f"/reports/{report.pk}/download/")

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "ДМС_виконання_2023.pdf"


@pytest.mark.parametrize(
    ("kind", "period", "file_format", "expected"),
    [
        (
            ReportKind.EXECUTION,
            (PeriodKind.QUARTER, 2024, 2),
            ReportFormat.PDF,
            "ДМС_виконання_ІІ_квартал_2024_року.pdf",
        ),
        (ReportKind.EXECUTION, (PeriodKind.YEAR, 2023, 1), ReportFormat.PDFA, "ДМС_виконання_2023_PDF-A.pdf"),
        (
            ReportKind.EXECUTION,
            (PeriodKind.HALF_YEAR, 2023, 1),
            ReportFormat.XLSX,
            "ДМС_виконання_І_півріччя_2023_року.xlsx",
        ),
        (ReportKind.PROGRAM, None, ReportFormat.PDF, "ДМС_програма.pdf"),
    ],
    ids=["quarter", "archival-year", "half-year-excel", "program"],
)
def test_file_names_say_organisation_kind_and_period(kind, period, file_format, expected):
    from reports.documents.filenames import report_file_name
    from reports.documents.services import EXTENSIONS

    period_kind, year, number = period or (None, None, None)
    name = report_file_name(
        organisation="ДМС",
        kind=kind,
        file_format=file_format,
        extension=EXTENSIONS[file_format],
        language="uk",
        period_kind=period_kind,
        year=year,
        number=number,
    )

    assert name == expected


def test_the_public_page_shows_each_files_sha256_and_how_to_check_it(demo_2023, client):
    from django.contrib.auth import get_user_model

    program, period = demo_2023
    secretary = get_user_model().objects.get(username="secretary")
    report = report_render(
        report_id=report_request(user=secretary, kind=ReportKind.EXECUTION, program=program, period=period).pk
    )
    report_publish(report=report, user=secretary, public=True)

    page = client.get(f"/reports/published/{program.organisation_id}/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()

    assert report.sha256 in page
    assert 'sha256sum "ДМС_виконання_2023.pdf"' in page
    assert 'certutil -hashfile "ДМС_виконання_2023.pdf" SHA256' in page
