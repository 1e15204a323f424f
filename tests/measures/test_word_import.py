"""A program brought in from Word: seed 000's sections, seed 001's table with merged task cells, a risk table with
Russian headers in another order; preview, corrections, all-or-nothing import, a second import that updates."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.choices import DeadlineKind
from measures.models import Measure
from programs.choices import ProgramStatus
from programs.models import ProgramSection, Unit
from risks.models import Risk
from tests.factories import ProgramFactory
from tests.measures.word_files import program_docx, seed_000_abbreviations, seed_000_sections, seed_rows

pytestmark = pytest.mark.django_db

# A register in Russian, its columns in an order of its own: scores by name and by number.
RUSSIAN_RISKS = (
    [
        "Вероятность",
        "Коррупционный риск",
        "№ п/п",
        "Последствия",
        "Функция, процесс",
        "Владелец риска",
        "Уровень риска",
    ],
    [
        ["Высокая", "Влияние на членов конкурсной комиссии", "1", "3", "Управление персоналом", "УП", "Высокий"],
        ["низкая", "Неполное обнародование публичной информации", "2", "Средние", "Коммуникации", "УКЕС", ""],
    ],
)


@pytest.fixture
def draft(organisation, reporter_unit, other_unit):
    """A new program of the organisation, whose units are УП and УКЕС only (ВПЗВК and ДІТЗІ are not there yet)."""
    return ProgramFactory(organisation=organisation, status=ProgramStatus.DRAFT)


def seed_file(**changes) -> SimpleUploadedFile:
    rows = seed_rows()
    for index, deadline in changes.get("deadlines", {}).items():
        rows[index] = replace(rows[index], deadline=deadline)
    content = program_docx(
        sections=seed_000_sections(), measures=rows, risks=RUSSIAN_RISKS, abbreviations=seed_000_abbreviations()
    )
    return SimpleUploadedFile("program.docx", content)


def words(text: str) -> str:
    return " ".join(text.split())


def upload(client, program, file, **extra):
    return client.post(reverse("measures:word-import", args=[program.pk]), {"file": file}, **extra)


def test_the_preview_counts_everything_flags_an_unreadable_deadline_and_proposes_unknown_units(login, draft):
    client = login("secretary")
    response = upload(client, draft, seed_file(deadlines={1: "щотижня"}))
    assert response.status_code == 302

    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    preview = page.context["preview"]

    assert page.status_code == 400  # not importable while a row is unreadable
    assert len(preview.sections) == 4
    assert preview.measure_counts == {"new": 8, "changed": 0, "unchanged": 0, "unreadable": 1}
    assert preview.risk_counts == {"new": 2, "changed": 0, "unchanged": 0, "unreadable": 0}
    flagged = next(item for item in preview.measures if item.status == "unreadable")
    assert [(flag.text, "is not a deadline" in flag.reason) for flag in flagged.flags] == [("щотижня", True)]
    assert flagged.row.content.startswith("Проведення лекції з питань запобігання")  # kept, not dropped
    assert preview.units == {
        "ВПЗВК": "Відділ з питань запобігання та виявлення корупції",
        "ДІТЗІ": "Департамент інформатизації, телекомунікацій та захисту інформації",
    }
    assert 'value="щотижня"' in page.content.decode()
    assert not Unit.objects.filter(abbreviation="ВПЗВК").exists()  # proposed, not created
    assert Measure.objects.filter(task__section__program=draft).count() == 0


def test_a_confirmed_import_writes_sections_risks_measures_and_units_then_a_corrected_file_updates_them(login, draft):
    client = login("secretary")
    preview_url = upload(client, draft, seed_file(deadlines={1: "щотижня"}))["Location"]
    client.get(preview_url)
    key = next(item.key for item in client.get(preview_url).context["preview"].measures if item.flags)

    checked = client.post(preview_url, {"check": "1", f"fix-{key}.deadline": "ІІ квартал"})
    assert checked.status_code == 200
    assert checked.context["preview"].ok
    done = client.post(preview_url, {"import": "1"})

    assert done.status_code == 302
    sections = list(ProgramSection.objects.filter(program=draft).order_by("position"))
    assert [section.position for section in sections] == [1, 2, 3, 4]
    for section, (title, paragraphs) in zip(sections, seed_000_sections(), strict=True):
        assert words(section.title) == words(title.split(". ", 1)[1])
        assert [words(paragraph) for paragraph in section.body.split("\n\n")] == [words(p) for p in paragraphs]
    measures = list(
        Measure.objects.filter(task__section__program=draft)
        .select_related("task__section")
        .order_by("task__section__number", "task__number", "number", "pk")
    )
    assert len(measures) == 9
    seed = seed_rows()
    kinds = [(measure.deadline_kind, measure.deadline_part, measure.deadline_days) for measure in measures]
    assert kinds == [
        (DeadlineKind.QUARTER, 1, None),
        (DeadlineKind.QUARTER, 2, None),
        (DeadlineKind.QUARTER, 3, None),
        (DeadlineKind.QUARTER, 4, None),
        (DeadlineKind.QUARTER, 1, None),
        (DeadlineKind.AFTER_EVENT, None, 3),
        (DeadlineKind.BEFORE_EVENT, None, 10),
        (DeadlineKind.YEAR, None, None),
        (DeadlineKind.EVERY_HALF_YEAR, None, None),
    ]
    for measure, row in zip(measures, seed, strict=True):
        assert set(measure.responsible_units.values_list("abbreviation", flat=True)) == set(row.units)
        assert words(f"{measure.label} {measure.content}") == words(row.content)
        assert words(measure.target_audience) == words(row.audience)
        assert words(measure.indicator) == words(row.indicator)
    first_task = measures[0].task
    assert [m.task_id for m in measures[:4]] == [first_task.pk] * 4  # the merged task cell is one task
    assert first_task.title == "Навчання та заходи з поширення інформації щодо програм антикорупційного спрямування"
    assert measures[0].task.section.title == "Програма антикорупційних навчань"
    # A task title Word broke over lines in its narrow column is one line again.
    assert (
        measures[5].task.title == "Проведення інформаційних кампаній стосовно реалізації ДМС антикорупційної політики"
    )
    assert Unit.objects.get(organisation=draft.organisation, abbreviation="ДІТЗІ").name.startswith("Департамент")
    risks = list(Risk.objects.filter(program=draft).order_by("number"))
    assert [(risk.number, risk.inherent_probability.score, risk.inherent_consequence.score) for risk in risks] == [
        (1, 3, 3),
        (2, 1, 2),
    ]
    assert risks[0].owner_unit.abbreviation == "УП"

    # The corrected file: the deadline fixed in the file itself and one indicator reworded.
    rows = seed_rows()
    rows[1] = replace(rows[1], deadline="ІІ квартал")
    rows[8] = replace(rows[8], indicator="Розміщено звіт про стан виконання програми")
    content = program_docx(sections=seed_000_sections(), measures=rows, risks=RUSSIAN_RISKS)
    second = client.get(upload(client, draft, SimpleUploadedFile("program.docx", content))["Location"])
    counts = second.context["preview"].measure_counts

    assert counts == {"new": 0, "changed": 1, "unchanged": 8, "unreadable": 0}
    assert second.context["preview"].section_counts["unchanged"] == 4
    client.post(second.request["PATH_INFO"], {"import": "1"})
    assert Measure.objects.filter(task__section__program=draft).count() == 9
    assert Measure.objects.get(pk=measures[8].pk).indicator == "Розміщено звіт про стан виконання програми"
    assert Risk.objects.filter(program=draft).count() == 2


def test_a_cancelled_preview_writes_nothing(login, draft):
    client = login("secretary")
    preview_url = upload(client, draft, seed_file())["Location"]

    client.post(preview_url, {"cancel": "1"})

    assert Measure.objects.filter(task__section__program=draft).count() == 0
    assert client.get(preview_url).status_code == 404


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _tables_of(megabytes: int) -> bytes:
    """A .docx whose document part is `megabytes` of table rows, each cell different, compressing as text does."""
    with zipfile.ZipFile(io.BytesIO(program_docx(sections=seed_000_sections()[:1]))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    rows = []
    size = 0
    number = 0
    while size < megabytes * 1024 * 1024:
        number += 1
        row = f"<w:tr><w:tc><w:p><w:r><w:t>{number * 7919 % 1000003:x} захід {number}</w:t></w:r></w:p></w:tc></w:tr>"
        rows.append(row)
        size += len(row.encode())
    body = members["word/document.xml"].decode()
    members["word/document.xml"] = body.replace("<w:body>", "<w:body><w:tbl>" + "".join(rows) + "</w:tbl>").encode()
    return _zip(members)


def _docm() -> bytes:
    with zipfile.ZipFile(io.BytesIO(program_docx(sections=seed_000_sections()))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"macro" * 100
    return _zip(members)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.docx", "Розділ I;Засади\n".encode(), "not a Word document"),
        ("program.docx", b"PK\x03\x04" + b"\0" * 100, "not a Word document"),
        ("program.docx", _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "not a Word document"),
        (
            "bomb.docx",
            _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * (30 * 1024 * 1024)}),
            "unpacks",
        ),
        ("program.docm", _docm(), "contains macros"),
        ("tables.docx", _tables_of(21), "far more text and tables"),
        ("huge.docx", b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024 + 1), "too large"),
    ],
    ids=["text", "damaged-zip", "a-workbook", "zip-bomb", "macro-enabled", "21-mb-of-tables", "oversized"],
)
def test_a_hostile_or_wrong_file_is_refused_next_to_the_field_and_nothing_is_written(
    login, draft, name, content, message
):
    response = upload(login("secretary"), draft, SimpleUploadedFile(name, content), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert message in str(response.context["form"].errors["file"])
    assert Measure.objects.filter(task__section__program=draft).count() == 0


def test_a_document_with_nothing_of_a_program_is_refused(login, draft):
    content = program_docx(sections=[])
    response = upload(login("secretary"), draft, SimpleUploadedFile("letter.docx", content), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Nothing in the file looks like a program" in str(response.context["form"].errors["file"])


def test_a_score_that_is_not_on_the_matrix_is_flagged_with_the_scores_it_may_be(login, draft):
    headers, rows = RUSSIAN_RISKS
    risks = (headers, [["очень", *rows[0][1:]]])
    content = program_docx(risks=risks)
    client = login("secretary")
    page = client.get(
        upload(client, draft, SimpleUploadedFile("r.docx", content))["Location"], HTTP_ACCEPT_LANGUAGE="en"
    )

    item = page.context["preview"].risks[0]
    assert item.status == "unreadable"
    assert "is not a score of the program's matrix" in item.flags[0].reason
    assert client.post(page.request["PATH_INFO"], {"import": "1"}).status_code == 400
    assert not Risk.objects.filter(program=draft).exists()


def test_another_persons_preview_token_is_not_found(login, draft, organisation):
    client = login("secretary")
    preview_url = upload(client, draft, seed_file())["Location"]

    other = login("double_secretary")

    assert other.get(preview_url).status_code == 404


def test_an_approved_program_is_not_changed_by_an_import_and_the_secretary_is_told_why(login, draft):
    draft.status = ProgramStatus.IN_FORCE
    draft.save()
    client = login("secretary")
    preview_url = upload(client, draft, seed_file())["Location"]
    client.get(preview_url)

    response = client.post(preview_url, {"import": "1"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "changes only through a revision" in response.content.decode()
    assert not Unit.objects.filter(abbreviation="ВПЗВК").exists()  # the units of the refused import are not left
    assert Measure.objects.filter(task__section__program=draft).count() == 0


def test_a_measure_treats_the_risks_its_row_numbers_even_those_the_same_file_adds(login, draft):
    document = docx.Document()
    risks = document.add_table(rows=1, cols=4)
    for cell, text in zip(risks.rows[0].cells, ["№", "Корупційний ризик", "Імовірність", "Наслідки"], strict=True):
        cell.text = text
    for cell, text in zip(risks.add_row().cells, ["7", "Вплив на членів конкурсної комісії", "3", "2"], strict=True):
        cell.text = text
    headers = ["Завдання", "Зміст заходу", "Термін виконання", "Відповідальні виконавці", "Ризики (№)"]
    measures = document.add_table(rows=1, cols=len(headers))
    for cell, text in zip(measures.rows[0].cells, headers, strict=True):
        cell.text = text
    row = ["1. Усунення ризиків у доборі персоналу", "1) Перевірка кандидатів", "до 29.03.2024", "УП", "№ 7"]
    for cell, text in zip(measures.add_row().cells, row, strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    client = login("secretary")
    preview_url = upload(client, draft, SimpleUploadedFile("p.docx", buffer.getvalue()))["Location"]
    client.get(preview_url)

    client.post(preview_url, {"import": "1"})

    measure = Measure.objects.get(task__section__program=draft)
    assert [risk.number for risk in measure.risks.all()] == [7]
    assert (measure.deadline_kind, str(measure.deadline_date)) == (DeadlineKind.DATE, "2024-03-29")
    assert measure.task.section.title == "Заходи"  # a table without section rows goes under one named section


def test_a_unit_named_in_words_the_portal_does_not_know_is_flagged_and_corrected_in_the_preview(login, draft):
    rows = seed_rows()
    rows[0] = replace(rows[0], units=frozenset({"Відділ кадрів апарату"}))
    content = program_docx(measures=rows[:1])
    client = login("secretary")
    preview_url = upload(client, draft, SimpleUploadedFile("p.docx", content))["Location"]
    page = client.get(preview_url, HTTP_ACCEPT_LANGUAGE="en")
    flag = page.context["preview"].measures[0].flags[0]

    assert (flag.text, "is neither the abbreviation nor the name of a unit" in flag.reason) == (
        "Відділ кадрів апарату",
        True,
    )
    checked = client.post(preview_url, {"check": "1", f"fix-{flag.key}": "УП"})
    assert checked.context["preview"].ok
    client.post(preview_url, {"import": "1"})

    measure = Measure.objects.get(task__section__program=draft)
    assert list(measure.responsible_units.values_list("abbreviation", flat=True)) == ["УП"]
