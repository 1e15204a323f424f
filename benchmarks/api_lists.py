"""Benchmark: a page of the measures list and of the execution entries list against one object of the same endpoint.

    .venv/bin/python benchmarks/api_lists.py [--measures 6000] [--repeat 15]

Generates one organisation with a program of 6,000 measures (60 tasks, seed-length texts, two responsible units and
a risk each) and one quarter with an entry per measure (seed-length narratives, one to three documents each, some
cited in the text by a [[1]] marker), then times, in the same run and taking turns, as the secretary:

- `GET /api/v1/measures/` (the first page) and, as its anchor, `GET /api/v1/measures/<id>/`;
- `GET /api/v1/execution-entries/` (the first page) and, as its anchor, `GET /api/v1/execution-entries/<id>/`.

A page holds PAGE_SIZE (50) objects where the detail holds one, so the ratio is the price of the other 49 on top of
what every request pays (session, scope, the paginator's count): the target is a page within 2 × the detail. Prints
the medians, the ratios, the queries of each request and the verdicts; exits non-zero when a target is missed.

The data lives in a throwaway database: a temporary SQLite file, or — when DATABASE_URL points at PostgreSQL — a
dedicated database `<name>_api_lists_bench` created and dropped by the benchmark. Real data is never touched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_summary import analyse, setup_django, throwaway_database, timed

TARGET_RATIO = 2.0
CONTENT = (
    "Забезпечення проведення перевірки кандидатів на зайняття посад, пов'язаних з високим рівнем корупційних ризиків, "
    "щодо наявності конфлікту інтересів та відомостей у Єдиному державному реєстрі осіб, які вчинили корупційні "
    "правопорушення (захід № {n})"
)
NARRATIVE = (
    "Виконано. У І кварталі проведено навчання з питань запобігання корупції [[1]], участь у якому взяли {n} осіб; "
    "перевірено відомості щодо кандидатів на зайняття посад, порушень не виявлено, результати оформлено довідками"
)
PLAIN_NARRATIVE = (
    "Проведено перевірку відомостей щодо {n} кандидатів на зайняття посад, пов'язаних з високим рівнем корупційних "
    "ризиків; порушень не виявлено, результати оформлено довідками та передано до служби управління персоналом"
)


def generate(measure_count: int):
    """One organisation, a program in force with `measure_count` measures, one quarter with an entry per measure."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from core.periods import PeriodKind, period_bounds, submission_due
    from core.roles import Role
    from measures.choices import DeadlineKind
    from measures.models import Measure, MeasureSection, MeasureUnit, Task
    from measures.places import renumber_places
    from programs.choices import ProgramStatus
    from programs.models import Membership, Organisation, Program, Unit
    from reports.choices import EntryState, EvidenceKind, ExecutionStatus
    from reports.execution.models import Evidence, ExecutionEntry, ReportingPeriod
    from risks.models import Risk, RiskMatrix

    call_command("migrate", verbosity=0)
    matrix = RiskMatrix.objects.get(code="nazk-2021")
    probabilities = list(matrix.probabilities.order_by("score"))
    consequences = list(matrix.consequences.order_by("score"))
    organisation = Organisation.objects.create(name="Державна служба", short_name="ДС")
    units = [
        Unit.objects.create(organisation=organisation, abbreviation=f"П{n}", name=f"Підрозділ {n}") for n in range(6)
    ]
    program = Program.objects.create(
        organisation=organisation,
        title="Антикорупційна програма на 2024–2026 роки",
        start_year=2024,
        end_year=2026,
        status=ProgramStatus.IN_FORCE,
        risk_matrix=matrix,
    )
    period = ReportingPeriod.objects.create(
        program=program,
        kind=PeriodKind.QUARTER,
        year=2024,
        number=1,
        submission_due=submission_due(period_bounds(PeriodKind.QUARTER, 2024, 1)[1], 15),
    )
    tasks = []
    for section_number in (1, 2, 3):
        section = MeasureSection.objects.create(
            program=program, number=section_number, title=f"Розділ {section_number}"
        )
        tasks += [Task.objects.create(section=section, number=n, title=f"Завдання {n}") for n in range(1, 21)]
    kinds = [
        {"deadline_kind": DeadlineKind.QUARTER, "deadline_part": 1},
        {"deadline_kind": DeadlineKind.EVERY_HALF_YEAR},
        {"deadline_kind": DeadlineKind.AFTER_EVENT, "deadline_days": 3, "deadline_event": "призначення"},
        {"deadline_kind": DeadlineKind.EVERY_QUARTER},
        {"deadline_kind": DeadlineKind.YEAR, "deadline_year": 2025},
        {"deadline_kind": DeadlineKind.PROGRAM_PERIOD},
    ]
    per_task = -(-measure_count // len(tasks))
    measures = Measure.objects.bulk_create(
        [
            Measure(
                task=tasks[i // per_task],
                number=i % per_task + 1,
                position=i % per_task,
                content=CONTENT.format(n=i + 1),
                target_audience="Працівники служби",
                indicator="Проведено перевірку всіх кандидатів",
                **kinds[i % len(kinds)],
            )
            for i in range(measure_count)
        ],
        batch_size=2000,
    )
    MeasureUnit.objects.bulk_create(
        [
            MeasureUnit(measure=m, unit=units[(i + offset) % len(units)], position=offset)
            for i, m in enumerate(measures)
            for offset in (0, 1)
        ],
        batch_size=4000,
    )
    risks = Risk.objects.bulk_create(
        [
            Risk(
                program=program,
                number=i + 1,
                function="personnel",
                title=f"Ризик № {i + 1}",
                inherent_probability=probabilities[i % 3],
                inherent_consequence=consequences[(i // 3) % 3],
            )
            for i in range(60)
        ]
    )
    Measure.risks.through.objects.bulk_create(
        [Measure.risks.through(measure_id=m.pk, risk_id=risks[i % len(risks)].pk) for i, m in enumerate(measures)],
        batch_size=4000,
    )
    statuses = list(ExecutionStatus.values)
    submitted_at = dt.datetime(2024, 4, 10, tzinfo=dt.UTC)
    user = get_user_model().objects.create(username="bench-secretary")
    entries = ExecutionEntry.objects.bulk_create(
        [
            ExecutionEntry(
                measure=m,
                period=period,
                status=statuses[i % len(statuses)],
                narrative=(NARRATIVE if i % 2 else PLAIN_NARRATIVE).format(n=i + 1),
                participants=i % 40 or None,
                state=EntryState.SUBMITTED if i % 3 else EntryState.DRAFT,
                submitted_at=submitted_at if i % 3 else None,
                submitted_by=user if i % 3 else None,
            )
            for i, m in enumerate(measures)
        ],
        batch_size=2000,
    )
    renumber_places(program.pk)  # the measures' places in the program order, and their entries' (bulk_create)
    documents = [
        {"kind": EvidenceKind.PROTOCOL, "number": "2"},
        {"kind": EvidenceKind.LETTER, "issuer": "ВПЗВК", "number": "17/112-24"},
        {"kind": EvidenceKind.LETTER, "issuer": "ВПЗВК", "number": "17/646-24"},
        {"kind": EvidenceKind.ORDER, "issuer": "ДС", "number": "45-о", "title": "Про затвердження плану"},
        {"kind": EvidenceKind.WEB_PAGE, "url": "https://example.gov.ua/news/17"},
    ]
    Evidence.objects.bulk_create(
        [
            Evidence(entry=entry, position=p, issued_on=dt.date(2024, 3, 1 + p), **documents[(i + p) % len(documents)])
            for i, entry in enumerate(entries)
            for p in range(1 + i % 3)
        ],
        batch_size=4000,
    )
    Membership.objects.create(user=user, organisation=organisation, role=Role.SECRETARY)
    return user, measures, entries


def queries_of(client, url: str) -> int:
    from django.db import connection

    queries = []  # counted by a wrapper: each request clears Django's own query log
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url, drop = throwaway_database(Path(tmp), suffix="api_lists_bench")
        try:
            setup_django(url)
            from django.conf import settings
            from django.test import Client
            from django.test.utils import setup_test_environment

            setup_test_environment(debug=False)
            user, measures, entries = generate(args.measures)
            analyse()
            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            print(f"generated 1 program × {args.measures} measures, 1 quarter × {len(entries)} entries ({engine})")
            client = Client()
            client.force_login(user)
            middle = len(measures) // 2
            urls = {
                "measures list": "/api/v1/measures/",
                "measure detail": f"/api/v1/measures/{measures[middle].pk}/",
                "entries list": "/api/v1/execution-entries/",
                "entry detail": f"/api/v1/execution-entries/{entries[middle + 1].pk}/",
            }
            for name in ("measures list", "entries list"):
                page = client.get(urls[name]).json()
                assert page["count"] == args.measures, page["count"]
                assert len(page["results"]) == settings.REST_FRAMEWORK["PAGE_SIZE"]
            queries = {name: queries_of(client, address) for name, address in urls.items()}
            medians = timed(
                {name: (lambda address=address: client.get(address)) for name, address in urls.items()}, args.repeat
            )
        finally:
            drop()

    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    for name, ms in medians.items():
        print(f"{name:16} : {ms:8.2f} ms  {queries[name]:3d} queries (median of {args.repeat})")
    missed = False
    for endpoint, (listing, detail) in {
        "measures": ("measures list", "measure detail"),
        "execution entries": ("entries list", "entry detail"),
    }.items():
        ratio = medians[listing] / medians[detail]
        verdict = "within" if ratio <= TARGET_RATIO else "OVER"
        missed |= ratio > TARGET_RATIO
        print(
            f"{endpoint:17}: a page of {page_size} at {args.measures} rows = {ratio:5.2f} × one object    "
            f"target ≤ {TARGET_RATIO:.0f} × → {verdict}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
