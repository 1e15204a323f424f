"""Benchmark: the portal's execution report against a plain WeasyPrint table with the same text, in one run.

    .venv/bin/python benchmarks/report_render.py [--measures 300] [--memory-measures 1000]

Prints both rendering times, their ratio (target: at most 1.3) and the peak memory of a worker-like process that
renders the report for 1,000 measures. Times vary on a shared machine; the ratio measured in one run is what counts.
The data lives in a throwaway SQLite database so the benchmark never touches real data.
"""

from __future__ import annotations

import argparse
import html
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NARRATIVE = (
    "У І кварталі 2023 року проведено навчання для працівників апарату ДМС та уповноважених підрозділів "
    "(уповноважених осіб) територіальних органів ДМС, підприємств та установ, що належать до сфери управління ДМС – "
    "суб’єктів декларування щодо заповнення декларації особи, уповноваженої на виконання функцій держави або "
    "місцевого самоврядування, участь у якому взяли 232 особи"
)
AUDIENCE = (
    "Працівники апарату ДМС, працівники уповноважених підрозділів (уповноважені особи) територіальних органів ДМС, "
    "підприємств та установ, що належать до сфери управління ДМС"
)


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build_program(measure_count: int):
    """A program of `measure_count` measures in 2 sections × 10 tasks, each with a submitted entry and evidence."""
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from measures.choices import DeadlineKind
    from measures.models import Measure, MeasureSection, Task
    from programs.models import Organisation, Program, Unit
    from reports.choices import EntryState, EvidenceKind, ExecutionStatus, PeriodKind
    from reports.models import Evidence, ExecutionEntry
    from reports.services import reporting_periods_create
    from risks.models import RiskMatrix

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(name="Державна міграційна служба України", short_name="ДМС")
    units = [
        Unit.objects.create(organisation=organisation, abbreviation=code, name=code)
        for code in ("ВПЗВК", "УП", "УКЕС", "ДІТЗІ")
    ]
    program = Program.objects.create(
        organisation=organisation,
        title="Антикорупційна програма ДМС на 2023–2025 роки",
        start_year=2023,
        end_year=2025,
        risk_matrix=RiskMatrix.objects.get(code="nazk-2021"),
    )
    period = next(p for p in reporting_periods_create(program=program) if p.kind == PeriodKind.YEAR and p.year == 2023)
    user = get_user_model().objects.create(username="bench")
    tasks = []
    for section_number in (1, 2):
        section = MeasureSection.objects.create(program=program, number=section_number, title="Програма навчань")
        tasks += [
            Task.objects.create(section=section, number=n, title="Навчання та заходи з поширення інформації")
            for n in range(1, 11)
        ]
    measures = Measure.objects.bulk_create(
        Measure(
            task=tasks[i % len(tasks)],
            number=i // len(tasks) + 1,
            content=f"{i}. Проведення тренінгу «Практичні аспекти заповнення електронної декларації»",
            deadline_kind=DeadlineKind.QUARTER,
            deadline_part=i % 4 + 1,
            target_audience=AUDIENCE,
            indicator="Проведено навчання для працівників",
            position=i,
        )
        for i in range(measure_count)
    )
    Measure.responsible_units.through.objects.bulk_create(
        Measure.responsible_units.through(measure_id=measure.pk, unit_id=unit.pk)
        for measure in measures
        for unit in units[:2]
    )
    entries = ExecutionEntry.objects.bulk_create(
        ExecutionEntry(
            measure=measure,
            period=period,
            status=ExecutionStatus.DONE,
            narrative=NARRATIVE,
            state=EntryState.SUBMITTED,
            submitted_at=timezone.now(),
            submitted_by=user,
        )
        for measure in measures
    )
    Evidence.objects.bulk_create(
        Evidence(entry=entry, kind=EvidenceKind.LETTER, issuer="ВПЗВК", number="17/112-23", issued_on=date(2023, 3, 28))
        for entry in entries
    )
    return program, period


def render_portal(program, period) -> tuple[float, bytes]:
    from reports.choices import ReportFormat
    from reports.documents import execution_document
    from reports.generation import render_document

    started = time.perf_counter()
    document = execution_document(program=program, period=period, language="uk")
    content = render_document(document, file_format=ReportFormat.PDF, language="uk")
    return time.perf_counter() - started, content


def render_plain(program, period) -> float:
    """The same cell text in the simplest WeasyPrint table: no grouping, no template engine, no ORM."""
    from weasyprint import HTML

    from reports.documents import execution_document

    document = execution_document(program=program, period=period, language="uk")
    rows = [
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(cell))}</td>"
            for cell in (
                task.title,
                row.content,
                row.deadline,
                " ".join(row.units),
                row.audience,
                row.indicator,
                row.status,
            )
        )
        + "</tr>"
        for section in document.sections
        for task in section.tasks
        for row in task.rows
    ]
    page = (
        "<html lang='uk'><head><meta charset='utf-8'><style>@page { size: A4 landscape; margin: 12mm } "
        "body { font-family: 'DejaVu Sans'; font-size: 7.5pt } "
        "table { border-collapse: collapse; width: 100%; table-layout: fixed } "
        "td { border: 0.5pt solid #000; vertical-align: top; hyphens: auto; padding: 1mm }</style></head><body>"
        f"<table>{''.join(rows)}</table></body></html>"
    )
    started = time.perf_counter()
    HTML(string=page).write_pdf()
    return time.perf_counter() - started


def child_peak_memory(measure_count: int) -> int:
    """Render the report for `measure_count` measures in a fresh process, as the worker would, and return its peak RSS
    in kilobytes (the data is built before the baseline is taken, so the figure is the rendering's own peak)."""
    command = [sys.executable, __file__, "--child", str(measure_count)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return int(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--memory-measures", type=int, default=1000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(Path(directory) / "bench.sqlite3")
        if arguments.child:
            program, period = build_program(arguments.child)
            render_portal(program, period)
            print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            return
        program, period = build_program(arguments.measures)
        render_portal(program, period)  # warm-up: fonts, hyphenation dictionaries, templates
        render_plain(program, period)
        portal_seconds, content = render_portal(program, period)
        plain_seconds = render_plain(program, period)
    print(f"measures: {arguments.measures}, PDF: {len(content) // 1024} KiB")
    print(f"portal execution report: {portal_seconds:.2f} s")
    print(f"plain WeasyPrint table:  {plain_seconds:.2f} s")
    print(f"ratio portal / plain:    {portal_seconds / plain_seconds:.2f} (target <= 1.30)")
    peak = child_peak_memory(arguments.memory_measures)
    print(f"peak memory rendering {arguments.memory_measures} measures: {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
