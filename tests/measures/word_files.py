"""Word files made in the tests with python-docx from the seeds' own wording (seed 000's sections, seed 001's table)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx

from tests.programs.test_demo import SeedRow, seed_rows

SEED_000 = Path(__file__).resolve().parent.parent / "data" / "seed_000.txt"
SEED_001_HEADERS = [
    "Найменування завдання",
    "Зміст заходу",
    "Строк виконання",
    "Підрозділ, відповідальний за проведення навчального заходу",
    "Цільова аудиторія навчального заходу",
    "Індикатор виконання (очікуваний результат)",
    "Стан виконання",
]


def seed_000_sections() -> list[tuple[str, list[str]]]:
    """Sections I–IV of seed 000: the heading (a title broken over two lines joined) and its paragraphs."""
    lines = SEED_000.read_text(encoding="utf-8").split("\n")
    sections: list[tuple[str, list[str]]] = []
    for index, line in enumerate(lines):
        if re.match(r"^(I|II|III|IV)\. ", line):
            title = line.strip()
            if title.endswith(","):  # section II's title runs on to the next line
                title += " " + lines[index + 1].strip()
            sections.append((title, []))
        elif line.startswith("Перелік скорочень"):
            break
        elif sections and line.strip() and not sections[-1][0].endswith(line.strip()):
            sections[-1][1].append(line.strip())
    return sections


def seed_000_abbreviations() -> list[str]:
    text = SEED_000.read_text(encoding="utf-8")
    tail = text[text.index("Перелік скорочень") :]
    return [line.strip() for line in tail.split("\n") if " – " in line]


def _measures_table(document, rows: list[SeedRow], headers=SEED_001_HEADERS) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    numbers = table.add_row().cells
    for index, cell in enumerate(numbers, start=1):
        cell.text = str(index)
    section = task = None
    task_start = None
    for row in rows:
        if row.section != section:
            section, task = row.section, None
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])  # the section title spans the table, as in seed 001
            merged.text = row.section.strip()
        cells = table.add_row().cells
        values = [
            "",
            row.content,
            row.deadline,
            "\n".join(sorted(row.units)),
            row.audience,
            row.indicator,
            row.status,
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
        if row.task != task:
            task, task_start = row.task, cells[0]
            task_start.text = row.task.strip()
        else:
            # A task spanning several measures: its cell is merged down, as Word does.
            task_start = task_start.merge(cells[0])


def program_docx(
    *,
    sections: list[tuple[str, list[str]]] | None = None,
    measures: list[SeedRow] | None = None,
    risks: tuple[list[str], list[list[str]]] | None = None,
    abbreviations: list[str] | None = None,
) -> bytes:
    document = docx.Document()
    document.add_paragraph("ЗАТВЕРДЖЕНО")
    document.add_paragraph("АНТИКОРУПЦІЙНА ПРОГРАМА ДЕРЖАВНОЇ МІГРАЦІЙНОЇ СЛУЖБИ УКРАЇНИ НА 2023-2025 РОКИ")
    for title, paragraphs in sections or []:
        document.add_heading(title, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    if abbreviations:
        document.add_paragraph("Перелік скорочень, які вживаються в Антикорупційній програмі ДМС")
        for line in abbreviations:
            document.add_paragraph(line)
    if risks:
        headers, rows = risks
        document.add_paragraph("Додаток 1")
        table = document.add_table(rows=1, cols=len(headers))
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    if measures:
        document.add_paragraph("Додаток 3")
        _measures_table(document, measures)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


__all__ = ["SEED_001_HEADERS", "program_docx", "seed_000_abbreviations", "seed_000_sections", "seed_rows"]
