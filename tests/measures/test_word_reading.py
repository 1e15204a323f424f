"""Reading a program's .docx without the database: column headers, section numerals, the list of abbreviations."""

import io

import docx
import pytest

from measures.word_import.reading import MEASURE_COLUMNS, RISK_COLUMNS, _role, read_docx, roman_value


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Найменування завдання", "task"),
        ("Зміст заходу", "content"),
        ("Строк виконання", "deadline"),
        ("Термін виконання", "deadline"),
        ("Підрозділ, відповідальний за проведення навчального заходу", "units"),
        ("Відповідальні виконавці", "units"),
        ("Цільова аудиторія навчального заходу", "audience"),
        ("Індикатор виконання (очікуваний результат)", "indicator"),
        ("Стан виконання", "status"),
        ("Корупційні ризики (№)", "risks"),
        ("Наименование задачи", "task"),
        ("Содержание мероприятия", "content"),
        ("Срок исполнения", "deadline"),
        ("Ответственные исполнители", "units"),
        ("Целевая аудитория", "audience"),
        ("Индикатор выполнения (ожидаемый результат)", "indicator"),
        ("Состояние исполнения", "status"),
        ("", None),
        ("Примітка", None),
    ],
)
def test_a_measures_column_is_known_by_its_header_in_ukrainian_or_russian(header, role):
    assert _role(header, MEASURE_COLUMNS) == role


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("№ з/п", "number"),
        ("Функція, процес", "function"),
        ("Корупційний ризик", "title"),
        ("Зміст корупційного ризику", "description"),
        ("Джерело(а) / чинники", "factors"),
        ("Існуючі заходи контролю", "existing_controls"),
        ("Імовірність (бал x)", "probability"),
        ("Наслідки (бал y)", "consequence"),
        ("Можливі наслідки корупційного правопорушення", "possible_consequences"),
        ("Рівень ризику (x × y)", "level"),
        ("Заходи впливу та етапи їх виконання", "measures"),
        ("Власник ризику", "owner"),
        ("Залишкова ймовірність", "residual_probability"),
        ("Залишкові наслідки", "residual_consequence"),
        ("Вероятность", "probability"),
        ("Последствия", "consequence"),
        ("Коррупционный риск", "title"),
        ("Владелец риска", "owner"),
        ("Существующие меры контроля", "existing_controls"),
    ],
)
def test_a_risk_register_column_is_known_by_its_header(header, role):
    assert _role(header, RISK_COLUMNS) == role


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("I", 1), ("І", 1), ("ІІ", 2), ("III", 3), ("IV", 4), ("ІV", 4), ("V", 5), ("IX", 9), ("Х", 10), ("ABC", None)],
)
def test_section_numerals_are_read_in_latin_or_cyrillic_letters(numeral, value):
    assert roman_value(numeral) == value


def test_sections_end_at_the_abbreviations_which_name_the_units():
    document = docx.Document()
    document.add_paragraph("АНТИКОРУПЦІЙНА ПРОГРАМА")
    document.add_paragraph("I. Засади загальної відомчої політики")
    document.add_paragraph("Перший абзац.")
    document.add_paragraph("ІІ. Оцінка корупційних ризиків")
    document.add_paragraph("Другий абзац.")
    document.add_paragraph("Перелік скорочень, які вживаються в програмі")
    document.add_paragraph("ВПЗВК – Відділ з питань запобігання та виявлення корупції;")
    document.add_paragraph("ЄІАС УМП – Єдина інформаційно-аналітична система управління міграційними процесами;")
    buffer = io.BytesIO()
    document.save(buffer)

    read = read_docx(buffer.getvalue())

    assert [(section.position, section.title, section.body) for section in read.sections] == [
        (1, "Засади загальної відомчої політики", "Перший абзац."),
        (2, "Оцінка корупційних ризиків", "Другий абзац."),
    ]
    assert read.abbreviations == {
        "ВПЗВК": "Відділ з питань запобігання та виявлення корупції",
        "ЄІАС УМП": "Єдина інформаційно-аналітична система управління міграційними процесами",
    }


def test_a_register_whose_scores_sit_under_a_heading_of_two_rows_is_read():
    document = docx.Document()
    table = document.add_table(rows=3, cols=5)
    for column, text in enumerate(["№", "Корупційний ризик", "Оцінка ризику", "", "Власник ризику"]):
        table.cell(0, column).text = text
    table.cell(0, 2).merge(table.cell(0, 3))
    for column in (0, 1, 4):
        table.cell(0, column).merge(table.cell(1, column))
    table.cell(1, 2).text = "Імовірність"
    table.cell(1, 3).text = "Наслідки"
    for column, text in enumerate(["1", "Вплив на членів конкурсної комісії", "Висока", "Середні", "УП"]):
        table.cell(2, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)

    read = read_docx(buffer.getvalue())

    assert [row.cells for row in read.risk_rows] == [
        {
            "number": "1",
            "title": "Вплив на членів конкурсної комісії",
            "probability": "Висока",
            "consequence": "Середні",
            "owner": "УП",
        }
    ]
