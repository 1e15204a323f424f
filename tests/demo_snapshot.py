"""`manage.py load_demo` for tests that need the demo committed (browser journeys, a real worker): loaded once per test
process, copied aside, and copied back for every later test in a fraction of the time.

Those tests cannot share one load the way `demo_once` (tests/reports/conftest.py) does: the live server and the worker
read the database over their own connections, which see only committed rows, and each such test is flushed after it
runs. Loading the demo cost up to a quarter of a minute on the shared two-core machine, most of it Argon2 hashing
and checking the demo users' passwords (tests now hash with MD5: tests/conftest.py); copying about a hundred small
tables back costs well under a second.

The copy is taken of the whole database right after the real `load_demo` ran on an empty one (holding nothing but
what migrations and post_migrate give every database), and it is only put back into an empty database, replacing
those rows with its own. When a test has written rows of its own before asking for the demo, the command runs for
real instead: the copy never stands in for a state it was not taken from.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from risks.presets import MODEL_NAMES as PRESET_MODEL_NAMES

SCHEMA = "demo_snapshot"


# The only rows an empty test database holds: post_migrate's content types and permissions, and the risk-matrix presets
# and residual rules of the migrations (gone after a flush; tests.factories.preset_matrix puts the presets back).
EMPTY_DATABASE_MODELS = {
    ("contenttypes", "contenttype"),
    ("auth", "permission"),
    *(("risks", name.lower()) for name in PRESET_MODEL_NAMES),
    ("risks", "residualrule"),
}


class _Snapshot:
    tables: list[str] = []  # the tables that hold rows once the demo is loaded (none: no snapshot yet)


def load_demo() -> None:
    """The database as `call_command("load_demo", allow_production=True, verbosity=0)` leaves an empty one."""
    counts = _row_counts()
    if not _is_empty(counts):
        call_command("load_demo", allow_production=True, verbosity=0)
    elif _Snapshot.tables:
        _restore(counts)
    else:
        call_command("load_demo", allow_production=True, verbosity=0)
        _take()


def _is_empty(counts: dict[str, int]) -> bool:
    allowed = {
        model._meta.db_table
        for model in apps.get_models()
        if (model._meta.app_label, model._meta.model_name) in EMPTY_DATABASE_MODELS
    }
    return all(table in allowed for table, count in counts.items() if count)


def _row_counts() -> dict[str, int]:
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"SELECT %s, count(*) FROM {connection.ops.quote_name(table)}" for table in tables),
            tables,
        )
        return dict(cursor.fetchall())


def _take() -> None:
    quote = connection.ops.quote_name
    tables = [table for table, count in _row_counts().items() if count]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in tables:
            cursor.execute(f"CREATE TABLE {SCHEMA}.{quote(table)} AS TABLE public.{quote(table)}")
    _Snapshot.tables = tables


def _restore(counts: dict[str, int]) -> None:
    quote = connection.ops.quote_name
    occupied = [table for table, count in counts.items() if count]
    with transaction.atomic(), connection.cursor() as cursor:
        if occupied:
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in occupied)} CASCADE")
        # Foreign keys are checked at the commit (Django creates them DEFERRABLE INITIALLY DEFERRED): any order works.
        for table in _Snapshot.tables:
            cursor.execute(f"INSERT INTO public.{quote(table)} SELECT * FROM {SCHEMA}.{quote(table)}")
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)
    # The content types are the snapshot's rows now, with ids the cache of the earlier ones does not know.
    ContentType.objects.clear_cache()
