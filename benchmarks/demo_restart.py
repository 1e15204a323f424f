"""Benchmark: the demo step of a second `scripts/run` against the cheapest management command, in CPU seconds.

    .venv/bin/python benchmarks/demo_restart.py [--repeat 3]

On a throwaway SQLite database (the embedded default) it migrates and loads the demo once, then runs, taking turns:

- `manage.py load_demo --skip-unchanged` — what `scripts/run` does on every start after the first;
- `manage.py load_demo` — the full, idempotent loader (what every start used to run);
- the anchor: `manage.py check` — Django starting, importing the project and checking it, doing nothing else.

Prints the median CPU seconds (user + system) of each, and the verdict: the second start's demo step is within
1.5 × the anchor plus half a second (that is, it does no loading and no password hashing: "seconds in all").
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_FACTOR, TARGET_SLACK = 1.5, 0.5


def cpu_seconds(*args: str, env: dict[str, str]) -> float:
    """CPU seconds (user + system) the child process `manage.py *args` spends."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG"}
        }
        env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'demo.sqlite3'}"
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        cpu_seconds("load_demo", "--skip-unchanged", env=env)  # the first start loads
        samples: dict[str, list[float]] = {"second start": [], "full loader": [], "check": []}
        for _ in range(args.repeat):
            samples["second start"].append(cpu_seconds("load_demo", "--skip-unchanged", env=env))
            samples["full loader"].append(cpu_seconds("load_demo", env=env))
            samples["check"].append(cpu_seconds("check", env=env))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    budget = TARGET_FACTOR * medians["check"] + TARGET_SLACK
    verdict = "within" if medians["second start"] <= budget else "OVER"
    print(f"load_demo --skip-unchanged : {medians['second start']:6.2f} s CPU (median of {args.repeat})")
    print(f"load_demo (full loader)    : {medians['full loader']:6.2f} s CPU")
    print(f"manage.py check (anchor)   : {medians['check']:6.2f} s CPU")
    print(f"target                     : ≤ {TARGET_FACTOR} × anchor + {TARGET_SLACK} s = {budget:.2f} s → {verdict}")
    return 0 if verdict == "within" else 1


if __name__ == "__main__":
    raise SystemExit(main())
