"""A real Celery worker process for tests, consuming a private queue on the configured Redis broker, and a private
redis-server that a fault test may kill and start again without disturbing anything else."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def require_real_stack() -> None:
    """The worker needs PostgreSQL (shared with this process) and a Redis broker; CI always provides both."""
    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL pointing at PostgreSQL")
    if not settings.CELERY_BROKER_URL:
        missing.append("REDIS_URL / CELERY_BROKER_URL")
    if missing:
        message = "a real worker needs " + " and ".join(missing) + " (scripts/test sets them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


@contextmanager
def celery_worker(
    *,
    time_limit: int | None = None,
    broker_url: str | None = None,
    queue: str | None = None,
    environment: dict[str, str] | None = None,
    beat: bool = False,
) -> Iterator[subprocess.Popen]:
    """Start `celery -A config worker` on a fresh queue bound to the test database; stop it afterwards.

    `broker_url` points it at a private Redis (see `redis_server`); naming the `queue` of a worker killed before
    lets a second worker take over what the first left unacknowledged; `beat` runs the periodic tasks in it (-B).
    """
    require_real_stack()
    queue = queue or f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url or settings.CELERY_BROKER_URL,
        "CELERY_QUEUE": queue,
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        "DB_CONN_MAX_AGE": "0",
        **(environment or {}),
    }
    if time_limit:
        env["CELERY_TASK_TIME_LIMIT"] = str(time_limit)
        env["CELERY_TASK_SOFT_TIME_LIMIT"] = str(max(1, time_limit - 1))
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"worker-{queue}.log", "w+")  # noqa: SIM115 - closed below
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        queue,
        "-n",
        f"{queue}-{uuid.uuid4().hex[:6]}@%h",
    ]
    if beat:
        command += ["-B", "--schedule", str(ROOT / "var" / f"beat-{queue}")]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        # Generous: on a loaded two-core machine importing WeasyPrint and pyHanko alone can take half a minute.
        deadline = time.monotonic() + 90
        while "ready" not in _read(log):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The Celery worker did not start:\n{_read(log)}")
            time.sleep(0.2)
        process.log_path = log.name
        process.queue = queue
        yield process
    finally:
        celery_app.conf.task_default_queue = previous_queue
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
        for schedule in (ROOT / "var").glob(f"beat-{queue}*"):
            schedule.unlink()


def _read(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Condition not met within {timeout} s")


def kill_worker(worker: subprocess.Popen) -> None:
    """kill -9 of the worker and its pool: nothing acknowledges, nothing cleans up, as when a machine dies."""
    for child in pool_children(worker.pid):
        os.kill(child, signal.SIGKILL)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)


def pool_children(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in result.stdout.split()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port, without persistence: killing it loses what it held."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, timeout=10, interval=0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def redis_server() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        message = "the fault tests need redis-server on PATH"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.kill()


@contextmanager
def broker(url: str) -> Iterator[str]:
    """This process sends its tasks to `url` (a private Redis), on a fresh queue it yields for the worker to take."""
    names = ("broker_url", "broker_read_url", "broker_write_url", "task_default_queue")
    previous = {name: celery_app.conf[name] for name in names}
    queue = f"test-{uuid.uuid4().hex[:10]}"
    # Celery copies the configured URL into the read and write URLs, which take precedence: replace all three.
    celery_app.conf.update(broker_url=url, broker_read_url=url, broker_write_url=url, task_default_queue=queue)
    _forget_pools()
    try:
        yield queue
    finally:
        private = celery_app._pool
        celery_app.conf.update(previous)
        _forget_pools()
        if private is not None:
            private.force_close_all()


def _forget_pools() -> None:
    """Make the app look its broker pools up again, by the URL now configured.

    The pools belong to kombu, one per broker URL for the whole process; the app only keeps references to those of
    the URL it first saw. Dropping the references is enough, and closing them is not allowed: closing the pool of
    the configured broker would close it for every later test of the process, whose reports then never reach
    their worker ("Acquire on closed pool"). Only the private broker's pool is closed, when it is left.
    """
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
