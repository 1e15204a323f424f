"""A transactional test ends with Django's flush, which tests/conftest.py (`flush_by_delete`) makes delete rows
instead of truncating every table: the tables must end just as empty, the audit trail's (which refuses DELETE) too."""

import pytest
from django.core.management import call_command
from django.db import connection

from audit.choices import AuditAction
from audit.services import record
from tests.conftest import build_program

pytestmark = pytest.mark.django_db(transaction=True)


def rows_by_table() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"SELECT %s, count(*) FROM {connection.ops.quote_name(t)}" for t in tables), tables
        )
        return {table: count for table, count in cursor.fetchall() if count}


def test_the_flush_after_a_transactional_test_empties_every_table(organisation, reporter_unit, other_unit, secretary):
    build_program(organisation, [reporter_unit, other_unit])
    record(AuditAction.EXPORTED, actor=secretary, organisation=organisation, document="measures", rows=1)
    filled = rows_by_table()
    assert {"audit_auditevent", "measures_measure", "measures_historicalmeasure", "auth_user"} <= set(filled)

    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)

    assert rows_by_table() == {}


def test_it_deletes_rows_and_truncates_only_a_table_with_a_trigger_of_its_own():
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite Django's flush deletes rows already")
    from django.core.management.color import no_style

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    statements = connection.ops.sql_flush(no_style(), tables)

    assert statements[0] == "SET CONSTRAINTS ALL DEFERRED;"
    truncated = [statement for statement in statements if statement.startswith("TRUNCATE")]
    assert truncated == ['TRUNCATE "audit_auditevent";']
    assert len(statements) == len(tables) + 1
