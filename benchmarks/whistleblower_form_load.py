"""Load on the public whistleblower form, next to a plain Django form, on loopback and for a bounded time.

    .venv/bin/python benchmarks/whistleblower_form_load.py [--seconds 5] [--clients 8] [--workers 2]

It migrates a throw-away database (a temporary SQLite file, or DATABASE_URL if set), starts gunicorn on 127.0.0.1
with the portal plus one plain Django form, and measures four scenarios with the same client threads:

    plain form GET · whistleblower form GET · plain form POST · whistleblower report POST (a full GET+POST cycle)

and prints requests per second and the 50th/99th percentile latency of each. The whistleblower POST is expected to be
much slower than the plain one: it hashes a receipt with Argon2id (by design, ~25 ms), encrypts the text and writes
a row. The rate limit per client is lifted for the run (every thread comes from 127.0.0.1).
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


def scenario(name: str, port: int, clients: int, seconds: float, step) -> dict:
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
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else float("nan")

    return {
        "name": name,
        "rps": len(latencies) / elapsed,
        "p50": pct(0.5),
        "p99": pct(0.99),
        "n": len(latencies),
        "errors": errors[0],
    }


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
    args = parser.parse_args()
    args.seconds = min(args.seconds, 60.0)  # bounded by design

    tmp = tempfile.TemporaryDirectory(prefix="wb-load-")
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "true"), "PRIVATE_STORAGE_ROOT": tmp.name}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/load.sqlite3")
    prepare_database(env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
         f"from benchmarks.whistleblower_form_load import serve; serve({port}, {args.workers})"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
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
            scenario("warm-up", port, args.workers * 2, 1.0, step)
        results = [
            scenario("plain Django form, GET", port, args.clients, args.seconds, plain_get),
            scenario("whistleblower form, GET", port, args.clients, args.seconds, public_get),
            scenario("plain Django form, GET+POST", port, args.clients, args.seconds, plain_post),
            scenario("whistleblower report, GET+POST", port, args.clients, args.seconds, public_post),
        ]
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()
    print(f"\n{args.clients} clients, {args.workers} gunicorn workers, {args.seconds:g} s per scenario, loopback")
    print(f"{'scenario':36} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'failed':>7}")
    for row in results:
        print(
            f"{row['name']:36} {row['rps']:9.1f} {row['p50']:8.1f} {row['p99']:8.1f} {row['n']:9d} {row['errors']:7d}"
        )


if __name__ == "__main__":
    main()
