"""Load on the public whistleblower form, next to a plain Django form, on loopback and for a bounded time.

    .venv/bin/python benchmarks/whistleblower_form_load.py [--seconds 5] [--clients 8] [--workers 2] [--rounds 5]

It migrates a throw-away database (a temporary SQLite file, or — when DATABASE_URL points at PostgreSQL — a database
`<name>_wb_form_bench` created and dropped by the benchmark), starts gunicorn on 127.0.0.1 with the portal plus one
plain Django form, and measures four scenarios with the same client threads:

    plain form GET · whistleblower form GET · plain form POST · whistleblower report POST (a full GET+POST cycle)

and prints requests per second and the 50th/99th percentile latency of each. Each pair (plain, ours) takes turns in
`--rounds` slices, so load from elsewhere on the machine falls on both alike. The whistleblower POST is expected to be
much slower than the plain one: it hashes a receipt with Argon2id (by design, ~25 ms), encrypts the text and writes
a row. The rate limits per client are lifted for the run (every thread comes from 127.0.0.1).

The target (issue 21): the form's GET serves at least TARGET_GET_RATIO of the plain form's requests per second; the
script exits non-zero when it does not.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
SHORT_NAME = "ЛОАД"
TARGET_GET_RATIO = 0.70


# --- the server side (run in a subprocess) -------------------------------------------------------------------------


def plain_urlpatterns():
    from django import forms
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    class PlainForm(forms.Form):
        name = forms.CharField(max_length=100)
        text = forms.CharField(widget=forms.Textarea)

    template = engines["django"].from_string(
        '<html><body><form method="post">{% csrf_token %}{{ form }}<button>Send</button></form></body></html>'
    )

    def plain(request):
        form = PlainForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return HttpResponse("ok")
        return HttpResponse(template.render({"form": form}, request))

    return [path("plain/", plain), path("", include("config.urls"))]


def serve(port: int, workers: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    settings.ROOT_URLCONF = __name__ if __name__ != "__main__" else "benchmarks.whistleblower_form_load"
    settings.WHISTLEBLOWER_SUBMISSIONS_PER_HOUR = 10**9
    settings.WHISTLEBLOWER_FORM_POSTS_PER_HOUR = 10**9
    # The officers' notices are sent in-process, to nowhere: the run leaves no task in a broker a real worker shares.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    import django

    django.setup()
    from gunicorn.app.base import BaseApplication

    from config.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"127.0.0.1:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", None)
            self.cfg.set("loglevel", "warning")

        def load(self):
            return application

    Server().run()


def __getattr__(name):  # the URLconf of the benchmark server: `urlpatterns` built on first use
    if name == "urlpatterns":
        return plain_urlpatterns()
    raise AttributeError(name)


# --- the client side -----------------------------------------------------------------------------------------------


class Session:
    """One keep-alive connection with its own cookies (the CSRF cookie)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text


def field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def run_slice(port: int, clients: int, seconds: float, step) -> tuple[list[float], int, float]:
    """`clients` threads repeating `step` for `seconds`: each step's latency, the failed steps, the time taken."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        session = Session(port)
        local, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                ok = step(session)
            except (OSError, http.client.HTTPException, AttributeError):
                ok = False
                session = Session(port)
            local.append(time.perf_counter() - started)
            failed += not ok
        with lock:
            latencies.extend(local)
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.perf_counter() - started


def taking_turns(scenarios: list[tuple[str, object]], port: int, clients: int, seconds: float, rounds: int):
    """Each scenario for `seconds` in all, in `rounds` slices taken in turn with the others."""
    collected = {name: ([], [0], [0.0]) for name, _step in scenarios}
    for _ in range(rounds):
        for name, step in scenarios:
            latencies, errors, elapsed = run_slice(port, clients, seconds / rounds, step)
            collected[name][0].extend(latencies)
            collected[name][1][0] += errors
            collected[name][2][0] += elapsed
    return [summary(name, *collected[name]) for name, _step in scenarios]


def summary(name: str, latencies: list[float], errors: list[int], elapsed: list[float]) -> dict:
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else float("nan")

    return {
        "name": name,
        "rps": len(latencies) / elapsed[0],
        "p50": pct(0.5),
        "p99": pct(0.99),
        "n": len(latencies),
        "errors": errors[0],
    }


def wait_for_server(server: subprocess.Popen, port: int, seconds: float = 300.0) -> None:
    """Until the server answers a page: on a loaded machine starting Django in two workers can take a minute, and
    measuring before would time only refused connections."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The benchmark server exited (status {server.returncode}) before answering.")
        try:
            if Session(port).request("GET", "/plain/")[0] == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    raise SystemExit(f"The benchmark server did not answer within {seconds:g} s.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    code = (
        "from programs.models import Organisation;"
        f"Organisation.objects.get_or_create(short_name={SHORT_NAME!r}, defaults={{'name': 'Навантажувальний орган'}})"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each scenario (default 5)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="turns each pair of scenarios takes (default 5)")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 60.0)  # bounded by design
    args.rounds = max(1, args.rounds)

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from dashboard_summary import throwaway_database

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")  # its clean-up closes Django's connections
    tmp = tempfile.TemporaryDirectory(prefix="wb-load-")
    database_url, drop = throwaway_database(Path(tmp.name), suffix="wb_form_bench")
    env = {
        **os.environ,
        "DEBUG": os.environ.get("DEBUG", "true"),
        "PRIVATE_STORAGE_ROOT": tmp.name,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
    }
    prepare_database(env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
         f"from benchmarks.whistleblower_form_load import serve; serve({port}, {args.workers})"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        wait_for_server(server, port)
        form = "/whistleblowing/report/" + quote(SHORT_NAME) + "/"

        def plain_get(session):
            return session.request("GET", "/plain/")[0] == 200

        def public_get(session):
            return session.request("GET", form)[0] == 200

        def plain_post(session):
            if "csrftoken" not in session.cookies:
                session.request("GET", "/plain/")
            _status, html = session.request("GET", "/plain/")
            token = field(html, "csrfmiddlewaretoken")
            return (
                session.request("POST", "/plain/", {"csrfmiddlewaretoken": token, "name": "x", "text": "y"})[0] == 200
            )

        def public_post(session):
            status, html = session.request("GET", form)
            body = {
                "csrfmiddlewaretoken": field(html, "csrfmiddlewaretoken"),
                "token": field(html, "token"),
                "basis_of_knowledge": "work",
                "details": "Навантажувальний тест: вигадане повідомлення.",
                "disclosure": "anonymous",
                "website": "",
            }
            status, html = session.request("POST", form, body)
            return status == 200 and "receipt-number" in html

        # Warm-up: both workers import and compile everything before anything is measured.
        for step in (plain_get, public_get, plain_post, public_post):
            run_slice(port, args.workers * 2, 1.0, step)
        turns = (args.clients, args.seconds, args.rounds)
        results = [
            *taking_turns(
                [("plain Django form, GET", plain_get), ("whistleblower form, GET", public_get)], port, *turns
            ),
            *taking_turns(
                [("plain Django form, GET+POST", plain_post), ("whistleblower report, GET+POST", public_post)],
                port,
                *turns,
            ),
        ]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: never leave the server running, nor hide the error
            server.kill()
            server.wait()
        tmp.cleanup()
        drop()
    print(
        f"\n{args.clients} clients, {args.workers} gunicorn workers, {args.seconds:g} s per scenario in "
        f"{args.rounds} turns, loopback"
    )
    print(f"{'scenario':36} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'failed':>7}")
    for row in results:
        print(
            f"{row['name']:36} {row['rps']:9.1f} {row['p50']:8.1f} {row['p99']:8.1f} {row['n']:9d} {row['errors']:7d}"
        )
    plain, ours = results[0], results[1]
    ratio = ours["rps"] / plain["rps"]
    failed = sum(row["errors"] for row in results)
    met = ratio >= TARGET_GET_RATIO and not failed
    print(
        f"\nwhistleblower form GET: {ours['rps']:.1f} req/s, plain Django form GET (anchor): {plain['rps']:.1f} req/s, "
        f"ratio {ratio:.2f} (target >= {TARGET_GET_RATIO:.2f}){f', {failed} failed requests' if failed else ''}: "
        f"{'met' if met else 'NOT met'}"
    )
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
