"""Benchmark: one cell save from the secretary's grid against a bare versioned UPDATE, and two saves side by side.

    .venv/bin/python benchmarks/cell_save.py [--measures 300] [--repeat 50] [--hold 0.5]

Generates one organisation with a program of 300 measures and an open quarter with an entry per measure, then, in
the same run and taking turns:

- the cell save: the whole request the grid script sends (session, scoping, the period's state, the optimistic-lock
  check, the UPDATE with its history row, the sentence sent back as JSON);
- the anchor: a bare versioned UPDATE of the same row in its own transaction (`… SET narrative = %s,
  version = version + 1 WHERE id = %s AND version = %s`).

Prints both medians and their ratio, the queries one save costs (target ≤ 6), and whether a save of one entry waits
while another entry's save of the same period holds its transaction open for `--hold` seconds (target: it does not).

The data lives in a throwaway database: a temporary SQLite file, or — when DATABASE_URL points at PostgreSQL — a
dedicated database `<name>_cell_save_bench` created and dropped by the benchmark. Real data is never touched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_summary import analyse, setup_django, throwaway_database, timed

QUERY_TARGET = 6


def generate(measure_count: int):
    """One organisation, a program in force, one open quarter that has begun, an entry per measure."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from core.periods import PeriodKind
    from core.roles import Role
    from measures.choices import DeadlineKind
    from measures.models import Measure, MeasureSection, Task
    from measures.places import renumber_places
    from programs.choices import ProgramStatus
    from programs.models import Membership, Organisation, Program, Unit
    from reports.choices import ExecutionStatus
    from reports.execution.models import ExecutionEntry, ReportingPeriod
    from risks.models import RiskMatrix

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    today = timezone.localdate()
    organisation = Organisation.objects.create(name="Орган", short_name="ОРГ")
    unit = Unit.objects.create(organisation=organisation, abbreviation="П1", name="Підрозділ 1")
    program = Program.objects.create(
        organisation=organisation,
        title="Антикорупційна програма",
        start_year=today.year,
        end_year=today.year + 2,
        status=ProgramStatus.IN_FORCE,
        risk_matrix=RiskMatrix.objects.get(code="nazk-2021"),
    )
    quarter = (today.month - 1) // 3 + 1
    period = ReportingPeriod.objects.create(
        program=program,
        kind=PeriodKind.QUARTER,
        year=today.year,
        number=quarter,
        submission_due=today + dt.timedelta(days=30),
    )
    section = MeasureSection.objects.create(program=program, number=1, title="Розділ 1")
    task = Task.objects.create(section=section, number=1, title="Завдання 1")
    measures = Measure.objects.bulk_create(
        [
            Measure(task=task, number=i + 1, content=f"Захід № {i + 1}", deadline_kind=DeadlineKind.EVERY_QUARTER)
            for i in range(measure_count)
        ]
    )
    Measure.responsible_units.through.objects.bulk_create(
        [Measure.responsible_units.through(measure_id=m.pk, unit_id=unit.pk) for m in measures]
    )
    entries = ExecutionEntry.objects.bulk_create(
        [
            ExecutionEntry(measure=m, period=period, status=ExecutionStatus.IN_PROGRESS, narrative="Триває")
            for m in measures
        ]
    )
    renumber_places(program.pk)  # the measures' places in the program order, and their entries' (bulk writes)
    user = get_user_model().objects.create(username="bench-secretary")
    Membership.objects.create(user=user, organisation=organisation, role=Role.SECRETARY)
    return user, period, entries


class CellSaver:
    """Saves narrative cells of one entry through the grid's endpoint, carrying the version each save returns."""

    def __init__(self, client, period, entry) -> None:
        from django.urls import reverse

        self.client, self.version, self.count = client, entry.version, 0
        self.url = reverse("reports:grid-save", args=[period.pk, entry.measure_id])

    def __call__(self) -> None:
        self.count += 1
        response = self.client.post(
            self.url,
            {"version": self.version, "narrative": f"Перевірено {self.count} кандидатів"},
            HTTP_X_REQUESTED_WITH="fetch",
        )
        assert response.status_code == 200, response.content[:500]
        self.version = response.json()["version"]


class BareUpdate:
    """The anchor: the versioned UPDATE a DBA would write, in its own transaction."""

    def __init__(self, entry) -> None:
        from reports.execution.models import ExecutionEntry

        self.pk, self.version, self.count = entry.pk, entry.version, 0
        self.table = ExecutionEntry._meta.db_table

    def __call__(self) -> None:
        from django.db import connection, transaction

        self.count += 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.table} SET narrative = %s, version = version + 1 WHERE id = %s AND version = %s",
                [f"Перевірено {self.count}", self.pk, self.version],
            )
            assert cursor.rowcount == 1
        self.version += 1


def queries_of_one_save(save: CellSaver) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        save()
    return len(captured.captured_queries)


def second_save_wait(user, period, held_entry, other_entry, hold: float) -> float:
    """Seconds a save of `other_entry` takes while a save of `held_entry` keeps its transaction open `hold` s."""
    from django.db import connections, transaction

    from reports.execution.services import entry_edit

    started, finished = threading.Event(), threading.Event()

    def hold_a_save() -> None:
        try:
            with transaction.atomic():
                entry_edit(
                    user=user,
                    measure=held_entry.measure,
                    period=period,
                    changes={"narrative": "Тримаю"},
                    expected_version=held_entry.version,
                )
                started.set()
                finished.wait(hold)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_a_save)
    holder.start()
    started.wait(10)
    began = time.perf_counter()
    entry_edit(
        user=user,
        measure=other_entry.measure,
        period=period,
        changes={"narrative": "Поруч"},
        expected_version=other_entry.version,
    )
    elapsed = time.perf_counter() - began
    finished.set()
    holder.join()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--hold", type=float, default=0.5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url, drop = throwaway_database(Path(tmp), suffix="cell_save_bench")
        try:
            setup_django(url, keep_redis=True)
            from django.conf import settings
            from django.test import Client
            from django.test.utils import setup_test_environment

            setup_test_environment(debug=False)
            user, period, entries = generate(args.measures)
            analyse()
            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            print(f"generated 1 program × {args.measures} measures with entries ({engine})")
            client = Client()
            client.force_login(user)
            save = CellSaver(client, period, entries[0])
            medians = timed({"cell save": save, "bare UPDATE": BareUpdate(entries[1])}, args.repeat)
            queries = queries_of_one_save(save)
            entries[2].refresh_from_db()
            entries[3].refresh_from_db()
            # SQLite locks the whole file for a write: saves side by side are PostgreSQL's to measure.
            wait = second_save_wait(user, period, entries[2], entries[3], args.hold) if engine == "postgresql" else None
        finally:
            drop()

    save_ms, anchor_ms = medians["cell save"], medians["bare UPDATE"]
    print(f"cell save (grid) : {save_ms:8.2f} ms (median of {args.repeat}, the whole request)")
    print(f"bare UPDATE      : {anchor_ms:8.2f} ms (versioned UPDATE in its own transaction)")
    print(f"ratio            : {save_ms / anchor_ms:8.2f} ×")
    query_verdict = "within" if queries <= QUERY_TARGET else "OVER"
    print(f"queries per save : {queries:5d}    target ≤ {QUERY_TARGET} → {query_verdict}")
    waited = wait is not None and wait >= args.hold / 2
    if wait is None:
        print("second save      : not measured on SQLite (one writer at a time by design)")
    else:
        print(
            f"second save      : {wait * 1000:8.2f} ms while another entry's save holds {args.hold * 1000:.0f} ms "
            f"→ {'WAITS' if waited else 'no wait'}"
        )
    return 0 if queries <= QUERY_TARGET and not waited else 1


if __name__ == "__main__":
    raise SystemExit(main())
