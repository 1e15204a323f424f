"""Benchmark: the dashboard page and the organisations comparison API as a parent body's tree grows.

    .venv/bin/python benchmarks/dashboard_page.py [--small 20] [--large 100] [--measures 300] [--repeat 15]

Generates `--small` bodies (the first the parent of the others, each with a 2023–2025 program of `--measures`
measures, 12 quarters and an entry per measure and quarter, as benchmarks/dashboard_summary.py does), times the
manager's dashboard page (the parent's program, ІІ quarter 2024: summary, trend, heat map, risk loop, the first page
of the comparison) and `GET /api/v1/dashboard/organisations/`, then adds bodies up to `--large` and times both
again. Each is timed taking turns with the anchor: the cheapest authenticated API request (one program), measured in
the same run.

Targets (issue 21): the time grows no faster than the number of bodies (growth ratio ≤ bodies ratio), and the page
at `--large` bodies within 300 ms — an absolute line, printed beside the anchor so a loaded machine can be read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard_summary import analyse, generate, setup_django, throwaway_database, timed

PAGE_LINE_MS = 300.0


def measure(client, program, period, parent, repeat: int) -> dict[str, float]:
    page = {"program": program.pk, "period": period.pk}
    comparison = {"organisation": parent.pk, "year": period.year, "number": period.number}
    for url, params in (("/dashboard/", page), ("/api/v1/dashboard/organisations/", comparison)):
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return timed(
        {
            "page": lambda: client.get("/dashboard/", page),
            "comparison": lambda: client.get("/api/v1/dashboard/organisations/", comparison),
            "anchor": lambda: client.get(f"/api/v1/programs/{program.pk}/"),
        },
        repeat,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=20)
    parser.add_argument("--large", type=int, default=100)
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url, drop = throwaway_database(Path(tmp), "dashboard_page_bench")
        try:
            setup_django(url)
            from django.test import Client
            from django.test.utils import setup_test_environment

            setup_test_environment(debug=False)
            started = time.perf_counter()
            user, programs = generate(args.small, args.measures)
            analyse()
            print(f"generated {args.small} bodies × {args.measures} measures in {time.perf_counter() - started:.1f} s")
            program = programs[0]
            parent = program.organisation
            period = program.periods.get(year=2024, number=2)
            client = Client()
            client.force_login(user)
            small = measure(client, program, period, parent, args.repeat)

            started = time.perf_counter()
            generate(args.large - args.small, args.measures, first=args.small, parent=parent, user=user)
            analyse()
            print(f"added bodies up to {args.large} in {time.perf_counter() - started:.1f} s")
            large = measure(client, program, period, parent, args.repeat)
        finally:
            drop()

    bodies = args.large / args.small
    ok = True
    print(f"{'':24}{args.small:>8} bodies{args.large:>8} bodies   growth (bodies × {bodies:.1f})")
    for name, label in (("page", "dashboard page"), ("comparison", "organisations API"), ("anchor", "anchor")):
        growth = large[name] / small[name]
        verdict = "" if name == "anchor" else ("within" if growth <= bodies else "OVER")
        ok &= name == "anchor" or growth <= bodies
        print(f"{label:24}{small[name]:8.1f} ms   {large[name]:8.1f} ms   {growth:6.2f} × {verdict}")
    page_verdict = "within" if large["page"] <= PAGE_LINE_MS else "OVER"
    ok &= large["page"] <= PAGE_LINE_MS
    print(
        f"page at {args.large} bodies: {large['page']:.1f} ms against the {PAGE_LINE_MS:.0f} ms line → {page_verdict} "
        f"(anchor in the same run {large['anchor']:.1f} ms; page = {large['page'] / large['anchor']:.1f} × anchor)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
