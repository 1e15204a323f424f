"""Benchmark: previewing the import of a 300-measure program written in Word (issue 15: under 10 s).

    .venv/bin/python benchmarks/word_import.py [--measures 300]

Builds a .docx with python-docx in the layout of seed 001 (section rows across the table, a task's cell merged down
over its ten measures, seed wording in every cell) plus seed-like sections and a risk table, then times what the
upload does before the preview shows: the file checks, reading the document and comparing it with the program. A
second run times the same against a program that already holds every measure (the "second import" that updates).
The data lives in a throwaway SQLite database so the benchmark never touches real data.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report_render import AUDIENCE, NARRATIVE, setup_django  # noqa: E402

DEADLINES = ["І квартал", "ІІ квартал", "Щопівроку", "Протягом року", "Не пізніше 3 робочих днів з дня після (події)"]


def build_docx(measure_count: int) -> bytes:
    import docx

    document = docx.Document()
    for numeral, title in (("I", "Засади загальної відомчої політики"), ("II", "Оцінка корупційних ризиків")):
        document.add_heading(f"{numeral}. {title}", level=1)
        for _ in range(10):
            document.add_paragraph(NARRATIVE)
    risks = document.add_table(rows=1, cols=5)
    for cell, header in zip(
        risks.rows[0].cells, ["№", "Корупційний ризик", "Імовірність", "Наслідки", "Функція"], strict=True
    ):
        cell.text = header
    for number in range(1, 21):
        values = [str(number), f"Ризик № {number}: {NARRATIVE[:120]}", "Середня", "2", "Управління персоналом"]
        for cell, value in zip(risks.add_row().cells, values, strict=True):
            cell.text = value
    headers = [
        "Найменування завдання",
        "Зміст заходу",
        "Строк виконання",
        "Підрозділ, відповідальний за проведення навчального заходу",
        "Цільова аудиторія навчального заходу",
        "Індикатор виконання (очікуваний результат)",
    ]
    table = document.add_table(rows=1, cols=len(headers))
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for index in range(measure_count):
        if index % 100 == 0:
            cells = table.add_row().cells
            cells[0].merge(cells[-1]).text = f"{'I' * (index // 100 + 1)}. Розділ заходів № {index // 100 + 1}"
        cells = table.add_row().cells
        values = ["", f"{index % 10 + 1}) Захід {index + 1}. {NARRATIVE[:200]}", DEADLINES[index % 5], "ВПЗВК\nУП"]
        for cell, value in zip(cells, [*values, AUDIENCE, "Проведено навчання"], strict=True):
            cell.text = value
        if index % 10 == 0:
            task = cells[0]
            task.text = f"{index // 10 % 10 + 1}. Завдання {index // 10 + 1}"
        else:
            task = task.merge(cells[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_program():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from programs.models import Organisation, Program, Unit
    from risks.models import RiskMatrix

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(name="Державна міграційна служба України", short_name="ДМС")
    for code in ("ВПЗВК", "УП"):
        Unit.objects.create(organisation=organisation, abbreviation=code, name=code)
    program = Program.objects.create(
        organisation=organisation,
        title="Антикорупційна програма ДМС на 2023–2025 роки",
        start_year=2023,
        end_year=2025,
        risk_matrix=RiskMatrix.objects.get(code="nazk-2021"),
    )
    return program, get_user_model().objects.create(username="bench")


def preview_seconds(content: bytes, program) -> tuple[float, object]:
    from measures.word_import import check_docx, read_docx, word_preview

    started = time.perf_counter()
    check_docx(content)
    preview = word_preview(read=read_docx(content), program=program)
    return time.perf_counter() - started, preview


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(Path(directory) / "bench.sqlite3")
        from measures.word_import import program_import_word

        program, user = build_program()
        content = build_docx(arguments.measures)
        first, preview = preview_seconds(content, program)
        assert preview.ok, preview.errors or [item.flags for item in preview.measures if item.flags][:3]
        program_import_word(program=program, user=user, preview=preview, versions=preview.versions)
        second, again = preview_seconds(content, program)
    print(f"measures: {arguments.measures}, .docx: {len(content) // 1024} KiB")
    print(f"preview of a new program:          {first:.2f} s (target < 10 s)")
    print(f"preview against the imported one:  {second:.2f} s (target < 10 s; {again.measure_counts})")


if __name__ == "__main__":
    main()
