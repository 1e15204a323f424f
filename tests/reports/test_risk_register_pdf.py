"""The updated risk register after the commission decides a re-assessment, read back as a reviewer reads it: the
register's heading and title sentence (the body, the year, the decision), the seed-style columns, the risks in the
register's order with their new scores, and a table that stays inside the page.

Built from an empty database (factories), requested and rendered through the report pipeline as every report is."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.utils import timezone
from PIL import Image

from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.filenames import file_name_of
from reports.documents.register import register_document
from reports.documents.services import ReportRequestError, report_render, report_request
from risks.reassessment import reassessment_round_decide, reassessment_round_open, risk_reassessment_record
from tests.factories import RiskFactory
from tests.programs.test_demo import normalise
from tests.reports.pdf_layout import bare, broken_words, page_images, pages_of, words_in_reading_order

pytestmark = pytest.mark.django_db

# The page's margins (static/reports/pdf.css): 12 mm on the right, 16 mm at the foot.
MM = 72 / 25.4
RIGHT = 12 * MM
FOOT = 16 * MM
LONG = (
    "Непрозорий відбір кандидатів, відсутність належного контролю за роботою конкурсної комісії та можливий вплив "
    "заінтересованих осіб на її членів під час проведення співбесід і тестування"
)


@pytest.fixture
def decided(program_content, secretary, commission):
    """A program of 14 risks with long texts, re-assessed for 2024 and decided by the commission."""
    program = program_content.program
    for number in range(3, 15):
        RiskFactory(
            program=program,
            number=number,
            title=f"Ризик № {number}: вплив на прийняття рішень",
            description=LONG,
            factors=LONG,
            existing_controls=LONG,
        )
    round_ = reassessment_round_open(user=secretary, program=program, year=2024)
    matrix = program.risk_matrix
    for risk in program.risks.order_by("number"):
        risk_reassessment_record(
            user=commission,
            round_=round_,
            risk=risk,
            probability=matrix.probabilities.get(score=3 if risk.number == 1 else 1),
            consequence=matrix.consequences.get(score=3 if risk.number == 1 else 2),
            reasons=f"Обґрунтування щодо ризику {risk.number}: {LONG}",
            version=0,
        )
    return reassessment_round_decide(
        user=commission,
        round_=round_,
        decision_date=dt.date(2024, 12, 20),
        decision_number="7",
        decision_text="Схвалити оновлений реєстр корупційних ризиків.",
    )


@pytest.fixture
def rendered(decided, secretary, private_storage, tmp_path):
    report = report_request(
        user=secretary, kind=ReportKind.RISK_REGISTER, program=decided.program, year=decided.year, language="uk"
    )
    report = report_render(report_id=report.pk)
    assert report.status == ReportStatus.READY, report.error
    pdf = tmp_path / "register.pdf"
    pdf.write_bytes(report.file.open("rb").read())
    return report, pdf


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_register_opens_with_the_body_the_title_sentence_and_the_seed_columns(rendered, decided):
    report, pdf = rendered
    text = normalise(" ".join(text_of(pdf).split()))
    organisation = decided.program.organisation.name

    title = (
        f"Реєстр корупційних ризиків: {organisation}, переоцінений за 2024 рік і схвалений рішенням комісії від "
        "20.12.2024 № 7"
    )
    assert text.startswith(normalise(organisation))
    assert normalise(title) in text
    assert "Схвалити оновлений реєстр корупційних ризиків." in text
    headings = [
        "№",
        "Функція, процес",
        "Корупційний ризик",
        "Зміст корупційного ризику",
        "Імовірність (бал x)",
        "Наслідки (бал y)",
        "Рівень ризику (x × y)",
        "Заходи впливу",
        "Обґрунтування переоцінки",
    ]
    words = [word.text for word in pages_of(pdf)[0].words]
    first_page = " ".join(words)
    for heading in headings[1:]:
        assert all(part in first_page for part in heading.split()), heading
    assert file_name_of(report).endswith("_реєстр_ризиків_2024.pdf")


def reasons_starts(page, number: int) -> list[float]:
    """Where «… ризику N:» stands on the page: the second line of row N's reasons, a line below the row's top."""
    texts = [word.text for word in page.words]
    return [
        word.y_min - 1.5 * (word.y_max - word.y_min)
        for index, word in enumerate(page.words[:-1])
        if word.text == "ризику" and texts[index + 1] == f"{number}:"
    ]


def row_words(pages, number: int) -> list[str]:
    """The words of risk `number`'s row on the page where it starts, down to the next row's top."""
    for page in pages:
        tops = reasons_starts(page, number)
        if tops:
            bottom = min([*reasons_starts(page, number + 1), page.height])
            return [word.text for word in page.words if tops[0] <= word.y_min < bottom]
    raise AssertionError(f"row {number} not found")


def test_the_risks_follow_the_register_order_with_their_new_scores(rendered):
    _report, pdf = rendered
    pages = pages_of(pdf)
    text = " ".join(word.text for page in pages for word in page.words)

    positions = [text.index(f"Обґрунтування щодо ризику {number}:") for number in range(1, 15)]
    assert positions == sorted(positions)
    # Risk № 1 re-scored 3 × 3: high probability, high consequences, a high level of 9; the others 1 × 2, low, 2.
    first = row_words(pages, 1)
    assert {"Вплив", "Висока", "Високі", "Високий", "(9)"} <= set(first)
    second = row_words(pages, 2)
    assert {"Неповне", "Низька", "Середні", "Низький", "(2)"} <= set(second)
    assert "Високий" not in second


def test_the_table_stays_inside_the_page_on_every_page(rendered, tmp_path):
    _report, pdf = rendered
    pages = pages_of(pdf)

    assert len(pages) > 1
    for page in pages:
        body = page.body_words(FOOT)
        assert body, f"page {page.number} holds only its foot"
        assert max(word.x_max for word in body) <= page.width - RIGHT, f"page {page.number}"
    # On the image: nothing is drawn in the right margin above the foot, and the table's right border stands at its
    # edge — the table takes the page's width and no more.
    for image_path in page_images(pdf, tmp_path, first=1, last=len(pages)):
        image = Image.open(image_path).convert("L")
        width = image.size[0]
        scale = width / pages[0].width
        edge = round((pages[0].width - RIGHT) * scale)
        body_bottom = round((pages[0].height - FOOT) * scale)
        dark = [
            x
            for x in range(width)
            if any(image.getpixel((x, y)) < 128 for y in range(round(15 * MM * scale), body_bottom, 2))
        ]
        assert max(dark) <= edge + 1, image_path.name
        assert max(dark) >= edge - 3, image_path.name


def test_no_word_of_the_register_is_broken_inside_its_column(rendered):
    report, pdf = rendered
    document = register_document(program=report.program, year=report.year, language="uk")
    source = [document.organisation, document.title, document.decision, *document.columns]
    for row in document.rows:
        source += [str(value) for value in vars(row).values()]
    known = {bare(word) for text in source for word in text.split()} | {"Сформовано", "порталом", "антикорупційних"}
    # The foot of every page: the generation note and the page counter.
    known |= {"програм", "Сторінка", "з", timezone.localdate().strftime("%d.%m.%Y")}
    known |= {str(number) for number in range(1, 12)}

    assert broken_words(words_in_reading_order(pages_of(pdf)), known) == []


@pytest.mark.parametrize(
    ("state", "file_format", "field"),
    [("open", ReportFormat.PDF, "year"), ("decided", ReportFormat.XLSX, "format"), ("none", ReportFormat.PDF, "year")],
)
def test_only_a_decided_rounds_register_is_requested_and_only_as_pdf(
    program_content, secretary, commission, english_messages, state, file_format, field
):
    program = program_content.program
    if state != "none":
        round_ = reassessment_round_open(user=secretary, program=program, year=2024)
    if state == "decided":
        for risk in program_content.risks:
            risk_reassessment_record(
                user=commission,
                round_=round_,
                risk=risk,
                probability=risk.inherent_probability,
                consequence=risk.inherent_consequence,
                reasons="Без змін",
                version=0,
            )
        reassessment_round_decide(
            user=commission, round_=round_, decision_date=dt.date(2024, 12, 1), decision_number="1"
        )

    with pytest.raises(ReportRequestError) as refused:
        report_request(
            user=secretary, kind=ReportKind.RISK_REGISTER, program=program, year=2024, file_format=file_format
        )

    assert list(refused.value.message_dict) == [field]
    assert not program.reports.exists()
