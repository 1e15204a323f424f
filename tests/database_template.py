"""One migrated PostgreSQL database that every test database of a run is copied from.

Every pytest process (each pytest-xdist process of the suite's parallel part, the worker part's processes) needs a
test database. Built by `migrate` each took 10 s of CPU on a quiet machine and up to 35 s while the processes built
theirs side by side. Now the first process that needs one migrates a template database under a file lock; the
others wait for it and have PostgreSQL copy it (`CREATE DATABASE … TEMPLATE`, well under a second), and Django's
`migrate` on the copy finds nothing to do.

The template is named after a digest of every installed app's migration files, the project's modules they import
(the risk-matrix presets a data migration installs) and the Django version, so a changed migration or preset builds
a new one (and the outdated ones are dropped), and a later run on the same machine reuses it. It is
built under a temporary name and renamed only once `migrate` has finished: a run killed half-way leaves no template
that looks complete.

SQLite test databases (`pytest` without DATABASE_URL) are left to Django: they live in memory and cost nothing to make.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection

ROOT = Path(__file__).resolve().parent.parent
# PostgreSQL cuts identifiers at 63 bytes: the template's name must stay whole.
MAX_NAME = 63


def template_for_this_run() -> str | None:
    """The template's name (None off PostgreSQL); asked before a per-process suffix is put on the test database."""
    return template_name() if connection.vendor == "postgresql" else None


def use_template(template: str | None) -> None:
    """Point the default connection's test database at the template (making the template first if it is missing)."""
    if template is None:
        return
    with _locked(template):
        if not _exists(template):
            _build(template)
    connection.settings_dict["TEST"]["TEMPLATE"] = template


def migrations_digest() -> str:
    """Of every migration file, and of the project's modules they import (the risk-matrix presets a data migration
    installs, the field classes): changing either gives the template another name."""
    digest = hashlib.sha256(django.__version__.encode())
    imported: set[Path] = set()
    for app_config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(app_config.path) / "migrations"
        for migration in sorted(folder.glob("*.py")):
            text = migration.read_bytes()
            digest.update(f"{app_config.label}/{migration.name}".encode())
            digest.update(text)
            imported |= _project_modules(text.decode())
    for module in sorted(imported):
        digest.update(str(module.relative_to(ROOT)).encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


IMPORT = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][\w.]*)", re.MULTILINE)


def _project_modules(source: str) -> set[Path]:
    """The files of this repository that `source` imports (Django's and other libraries' are left out)."""
    found = set()
    for name in IMPORT.findall(source):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        if origin is not None and origin.is_file() and ROOT in origin.parents and ".venv" not in origin.parts:
            found.add(origin)
    return found


def template_name() -> str:
    suffix = f"_tpl_{migrations_digest()[:12]}"
    return f"{_prefix()[: MAX_NAME - len(suffix)]}{suffix}"


def _prefix() -> str:
    """The database name without any per-process suffix: test_<NAME>, or TEST's NAME where settings give one."""
    settings_dict = connection.settings_dict
    return settings_dict["TEST"].get("NAME") or f"test_{settings_dict['NAME']}"


def _build(template: str) -> None:
    building = f"{template[: MAX_NAME - len('_building')]}_building"
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(building)}")
        cursor.execute(f"CREATE DATABASE {quote(building)}")
    name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = building
    try:
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
        call_command("createcachetable", verbosity=0)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
        _drop_outdated(cursor, keep=template)


def _drop_outdated(cursor, *, keep: str) -> None:
    """Templates of earlier migrations are dropped; one another run on this machine is still copying stays."""
    cursor.execute(
        "SELECT datname FROM pg_catalog.pg_database WHERE datname LIKE %s AND datname <> %s",
        [keep.rsplit("_tpl_", 1)[0].replace("_", r"\_") + r"\_tpl\_%", keep],
    )
    for (name,) in cursor.fetchall():
        try:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
        except DatabaseError:
            continue


def _exists(name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_catalog.pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@contextmanager
def _locked(template: str) -> Iterator[None]:
    """One process of the machine builds a given template; the others wait until it is there."""
    (ROOT / "var").mkdir(exist_ok=True)
    with open(ROOT / "var" / f"{template.rsplit('_tpl_', 1)[0]}.template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
