"""Benchmark: the secretary's grid of 300 measures against a bare SELECT and a trivial template of the same rows.

    .venv/bin/python benchmarks/grid.py [--measures 300] [--repeat 15]

Generates one organisation with a program of 300 measures and an open quarter, each measure with an entry whose
narrative is as long as the seed's (about 350 characters), then times, in the same run and taking turns:

- the grid page as the secretary sees it (editable cells, the whole request);
- the anchor: one SELECT of the measures with their entries and a trivial template printing each row's number,
  measure, status and narrative, in a request of the same client.

Prints both medians, the ratio (target ≤ 3 ×), the page's size (target ≤ 400 KB) and its queries.

The data lives in a throwaway database: a temporary SQLite file, or — when DATABASE_URL points at PostgreSQL — a
dedicated database `<name>_grid_bench` created and dropped by the benchmark. Real data is never touched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cell_save import generate
from dashboard_summary import analyse, setup_django, throwaway_database, timed

TARGET_RATIO = 3.0
TARGET_KB = 400
NARRATIVE = (
    "Проведено перевірку відомостей щодо {n} кандидатів на зайняття посад, пов'язаних з високим рівнем корупційних "
    "ризиків, у тому числі перевірку наявності конфлікту інтересів та відомостей у Єдиному державному реєстрі осіб, "
    "які вчинили корупційні або пов'язані з корупцією правопорушення; порушень не виявлено, результати оформлено "
    "довідками та передано до служби управління персоналом"
)
ANCHOR_TEMPLATE = """<table>{% for row in rows %}<tr><td>{{ row.0 }}</td><td>{{ row.1 }}</td><td>{{ row.2 }}</td>
<td>{{ row.3 }}</td></tr>{% endfor %}</table>"""


def anchor_view(request):
    """The bare anchor: the rows in one SELECT, printed by a trivial template."""
    from django.db import connection
    from django.http import HttpResponse
    from django.template import engines

    from measures.models import Measure
    from reports.execution.models import ExecutionEntry

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.number, m.content, e.status, e.narrative FROM {Measure._meta.db_table} m "
            f"LEFT JOIN {ExecutionEntry._meta.db_table} e ON e.measure_id = m.id AND e.period_id = %s "
            "ORDER BY m.number",
            [int(request.GET["period"])],
        )
        rows = cursor.fetchall()
    template = engines["django"].from_string(ANCHOR_TEMPLATE)
    return HttpResponse(template.render({"rows": rows}, request))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url, drop = throwaway_database(Path(tmp), suffix="grid_bench")
        try:
            setup_django(url)
            from django.conf import settings
            from django.db import connection
            from django.template import Template
            from django.test import Client
            from django.test.utils import override_settings, setup_test_environment
            from django.urls import path, reverse

            from reports.execution.models import ExecutionEntry

            production_render = Template._render
            setup_test_environment(debug=False)
            # The test environment copies every template's context for the test client to inspect; the grid's
            # row includes make that cost more than the page itself. Render as production does.
            Template._render = production_render
            user, period, entries = generate(args.measures)
            for n, entry in enumerate(entries):
                entry.narrative = NARRATIVE.format(n=n + 1)
            ExecutionEntry.objects.bulk_update(entries, ["narrative"])
            analyse()
            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            print(f"generated 1 program × {args.measures} measures with seed-length narratives ({engine})")

            urls = type("urls", (), {})
            from config.urls import urlpatterns

            urls.urlpatterns = [path("bench-anchor/", anchor_view), *urlpatterns]
            with override_settings(ROOT_URLCONF=urls):
                client = Client()
                client.force_login(user)
                grid_url = reverse("reports:period", args=[period.pk])
                page = client.get(grid_url)
                assert page.status_code == 200, page.content[:500]
                queries = []  # counted by a wrapper: each request clears Django's own query log
                with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
                    client.get(grid_url)
                medians = timed(
                    {
                        "grid": lambda: client.get(grid_url),
                        "anchor": lambda: client.get("/bench-anchor/", {"period": period.pk}),
                    },
                    args.repeat,
                )
        finally:
            drop()

    grid_ms, anchor_ms = medians["grid"], medians["anchor"]
    size_kb = len(page.content) / 1024
    ratio = grid_ms / anchor_ms
    print(f"grid page        : {grid_ms:8.2f} ms (median of {args.repeat}, the whole request)")
    print(f"bare anchor      : {anchor_ms:8.2f} ms (one SELECT + a trivial template)")
    ratio_verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    size_verdict = "within" if size_kb <= TARGET_KB else "OVER"
    print(f"ratio            : {ratio:8.2f} ×    target ≤ {TARGET_RATIO:.0f} × → {ratio_verdict}")
    print(f"HTML             : {size_kb:8.1f} KB   target ≤ {TARGET_KB} KB → {size_verdict}")
    print(f"queries          : {len(queries):5d}")
    return 0 if ratio <= TARGET_RATIO and size_kb <= TARGET_KB else 1


if __name__ == "__main__":
    raise SystemExit(main())
