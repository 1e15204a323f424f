"""Benchmark: the portal's execution report against plain WeasyPrint rendering a table of the same text, in one run.

    .venv/bin/python benchmarks/report_render.py [--measures 300] [--memory-measures 1000] [--request-measures 3000]
        [--repeat 3]

Three figures, each with its target (issue 21):

- rendering, CPU seconds of this process: the whole report (the document read from the database, the template,
  WeasyPrint, the tagged PDF/UA file) ÷ the anchor, plain WeasyPrint typesetting the same cell text in a bare table
  with the report's page, typeface, size and cell padding — no grouping, no headers, no tags, no hyphenation (the
  report does not hyphenate either). The two take turns `--repeat` times; medians. Target: at most 1.0. Printed
  beside it, not judged: the same table written as the portal writes its report (tagged PDF/UA, the process's
  objects frozen during the render, compressed at the portal's level), which tells what the portal adds to
  WeasyPrint's own cost for that kind of file.
- peak memory (RSS) of a fresh worker-like process rendering the report for `--memory-measures` measures, the data
  built before. Target: at most 400 MB.
- the report request in the web process, CPU milliseconds: POST of the request form for a program of
  `--request-measures` measures (the data unchanged, so the file is reused: the request's cost is its fingerprint)
  against the cheapest authenticated request (one program over the API) in the same client. Target: the request
  renders and builds nothing — a few milliseconds, whatever the program's size.

The data lives in a throwaway database: a temporary SQLite file, or — when DATABASE_URL points at PostgreSQL — a
database `<name>_report_bench` created and dropped by the script. Real data is never touched. Times vary on a shared
machine; the ratios measured in one run are what count.
"""

from __future__ import annotations

import argparse
import html
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard_summary import throwaway_database  # noqa: E402  (a sibling script, found next to this one)

RENDER_TARGET = 1.0
MEMORY_TARGET_MB = 400

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


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    # Requests hand their report to a broker nobody reads: the request is timed, not a render it would trigger.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build_program(measure_count: int):
    """A program of `measure_count` measures in 2 sections × 10 tasks, each with a submitted entry and evidence;
    the program, its period and its secretary."""
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from core.periods import PeriodKind
    from core.roles import Role
    from measures.choices import DeadlineKind
    from measures.models import Measure, MeasureSection, Task
    from measures.places import renumber_places
    from programs.models import Membership, Organisation, Program, Unit
    from reports.choices import EntryState, EvidenceKind, ExecutionStatus
    from reports.execution.models import Evidence, ExecutionEntry
    from reports.execution.periods_create import reporting_periods_create
    from risks.models import RiskMatrix

    call_command("migrate", verbosity=0)
    taken = Organisation.objects.count()
    organisation = Organisation.objects.create(
        name="Державна міграційна служба України", short_name=f"ДМС{taken or ''}"
    )
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
    user = get_user_model().objects.create(username=f"bench-{organisation.pk}")
    Membership.objects.create(user=user, organisation=organisation, role=Role.SECRETARY)
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
    renumber_places(program.pk)  # the measures' places in the program order, and their entries' (bulk writes)
    return program, period, user


def render_portal(program, period) -> tuple[float, bytes]:
    """CPU seconds of the whole report as the worker makes it: read, assembled, templated, typeset, tagged."""
    from reports.choices import ReportFormat
    from reports.documents.content import execution_document
    from reports.documents.services import render_document

    started = time.process_time()
    document = execution_document(program=program, period=period, language="uk")
    content = render_document(document, file_format=ReportFormat.PDF, language="uk")
    return time.process_time() - started, content


def plain_page(program, period) -> str:
    """The same cell text in the simplest WeasyPrint table: no grouping, no template engine, no ORM, no headers.

    Typeset as the report is (A4 landscape, its margins, 10 pt Liberation Serif, its cell padding and line height,
    no hyphenation), so the comparison is of what the portal adds, not of a smaller font on fewer pages."""
    from reports.documents.content import execution_document

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
    return (
        "<html lang='uk'><head><meta charset='utf-8'><style>@page { size: A4 landscape; margin: 15mm 12mm 16mm 20mm } "
        "body { font-family: 'Liberation Serif'; font-size: 10pt; line-height: 1.1 } "
        "table { border-collapse: collapse; width: 100%; table-layout: fixed } "
        "td { border: 0.5pt solid #000; vertical-align: top; padding: 1mm 1.2mm }</style></head><body>"
        f"<table>{''.join(rows)}</table></body></html>"
    )


def render_plain(page: str) -> float:
    from weasyprint import HTML

    started = time.process_time()
    HTML(string=page).write_pdf()
    return time.process_time() - started


def render_plain_alike(page: str) -> float:
    """The plain table written as the portal writes its report — tagged PDF/UA, the process's objects frozen out of
    the collector's walks during the render and its garbage collected at the end, compressed at the portal's level —
    without the portal's documents, template or fitting: what WeasyPrint alone costs for the same kind of file
    (printed beside the verdict, which is on the untagged anchor)."""
    from weasyprint import HTML

    from reports.documents.pdf import COMPRESSION, compressed_at, process_objects_frozen

    started = time.process_time()
    with process_objects_frozen(), compressed_at(COMPRESSION):
        HTML(string=page).write_pdf(pdf_variant="pdf/ua-1")
    return time.process_time() - started


def child_peak_memory(measure_count: int) -> int:
    """Render the report for `measure_count` measures in a fresh process, as the worker would, and return its peak RSS
    in kilobytes (its own SQLite data, built in bulk: the peak is the render's)."""
    command = [sys.executable, __file__, "--child", str(measure_count)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return int(output.strip().splitlines()[-1])


def request_ms(program, period, user, repeat: int) -> tuple[dict[str, float], int]:
    """Median milliseconds of the report request (POST of the form; the data unchanged, the file reused) and of the
    cheapest authenticated request, taking turns: CPU of this process and elapsed (which includes the database's work
    on PostgreSQL); and how many reports the requests recorded (1: reused)."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from reports.documents.models import GeneratedReport

    setup_test_environment(debug=False)
    client = Client()
    client.force_login(user)
    form = {"kind": "execution", "period": period.pk, "format": "pdf"}
    url = f"/reports/programs/{program.pk}/request/"

    def post():
        response = client.post(url, form)
        assert response.status_code == 302, response.content[:500]

    def floor():
        assert client.get(f"/api/v1/programs/{program.pk}/").status_code == 200

    samples: dict[str, list[float]] = {"request": [], "floor": [], "request elapsed": [], "floor elapsed": []}
    post(), floor()  # warm caches, the session and the code version
    for _ in range(repeat):
        for name, function in (("request", post), ("floor", floor)):
            cpu, elapsed = time.process_time(), time.perf_counter()
            function()
            samples[name].append((time.process_time() - cpu) * 1000)
            samples[f"{name} elapsed"].append((time.perf_counter() - elapsed) * 1000)
    recorded = GeneratedReport.objects.filter(program=program).count()
    return {name: statistics.median(values) for name, values in samples.items()}, recorded


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--memory-measures", type=int, default=1000)
    parser.add_argument("--request-measures", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        with tempfile.TemporaryDirectory() as directory:
            setup_django(f"sqlite:///{Path(directory) / 'bench.sqlite3'}")
            program, period, _ = build_program(arguments.child)
            render_portal(program, period)
            print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return 0
    with tempfile.TemporaryDirectory() as directory:
        url, drop = throwaway_database(Path(directory), suffix="report_bench")
        try:
            setup_django(url)
            from django.conf import settings

            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            program, period, _ = build_program(arguments.measures)
            page = plain_page(program, period)
            render_portal(program, period)  # warm-up: fonts, templates, stylesheets
            render_plain(page)
            render_plain_alike(page)
            portal, plain, alike = [], [], []
            for _ in range(arguments.repeat):
                seconds, content = render_portal(program, period)
                portal.append(seconds)
                plain.append(render_plain(page))
                alike.append(render_plain_alike(page))
            portal_seconds, plain_seconds = statistics.median(portal), statistics.median(plain)
            alike_seconds = statistics.median(alike)

            request_program, request_period, secretary = build_program(arguments.request_measures)
            request, recorded = request_ms(request_program, request_period, secretary, repeat=max(9, arguments.repeat))
        finally:
            drop()
    ratio = portal_seconds / plain_seconds
    print(f"database: {engine}")
    print(f"measures: {arguments.measures}, PDF: {len(content) // 1024} KiB, CPU s, median of {arguments.repeat}")
    print(f"portal execution report: {portal_seconds:.2f} s")
    print(f"plain WeasyPrint table:  {plain_seconds:.2f} s")
    print(f"ratio portal / plain:    {ratio:.2f} (target <= {RENDER_TARGET:.2f}: {verdict(ratio <= RENDER_TARGET)})")
    print(
        f"plain, written alike:    {alike_seconds:.2f} s (tagged PDF/UA, frozen and compressed as the portal's "
        f"render is); portal / that: {portal_seconds / alike_seconds:.2f}"
    )
    peak_mb = child_peak_memory(arguments.memory_measures) / 1024
    memory_ok = peak_mb <= MEMORY_TARGET_MB
    print(
        f"peak memory rendering {arguments.memory_measures} measures: {peak_mb:.0f} MB "
        f"(target <= {MEMORY_TARGET_MB}: {verdict(memory_ok)})"
    )
    print(
        f"report request, {arguments.request_measures} measures: {request['request']:.1f} ms CPU "
        f"({request['request elapsed']:.1f} ms elapsed); cheapest authenticated request: {request['floor']:.1f} ms CPU "
        f"({request['floor elapsed']:.1f} ms elapsed); ratio {request['request'] / request['floor']:.1f}; "
        f"reports recorded: {recorded} (1 = reused)"
    )
    return 0 if ratio <= RENDER_TARGET and memory_ok and recorded == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
