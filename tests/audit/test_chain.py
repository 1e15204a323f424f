"""The chain holds for many entries, and any edit an attacker with rights over the database makes to one entry is
found by `manage.py audit_verify`, which names exactly that entry."""

from __future__ import annotations

import io
import itertools
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, close_old_connections, connection, connections, transaction

from audit.chain import GENESIS, entry_hash
from audit.choices import AuditAction
from audit.models import AppendOnlyError, AuditEvent
from audit.services import chain_head, record

pytestmark = pytest.mark.django_db


def many_entries(count: int, organisation=None, actor=None) -> list[AuditEvent]:
    actions = list(AuditAction)
    return [
        record(actions[n % len(actions)], actor=actor, organisation=organisation, number=n, note=f"крок {n}")
        for n in range(count)
    ]


def verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue().strip()


def sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@pytest.fixture
def attacker():
    """Someone with rights over the database: they can drop the append-only trigger before editing rows (within the
    test's transaction, so the trigger is back for the next test)."""
    sql("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
    return sql


def test_a_chain_of_many_entries_verifies_and_the_command_prints_its_head(secretary, organisation):
    entries = many_entries(120, organisation=organisation, actor=secretary)

    assert verify() == f"120 entries, chain intact, head {entries[-1].hash}"
    assert entries[0].previous_hash == GENESIS
    assert all(later.previous_hash == earlier.hash for earlier, later in itertools.pairwise(entries))


def test_an_empty_trail_verifies():
    assert verify() == f"0 entries, chain intact, head {GENESIS}"


def test_the_head_command_prints_the_number_and_hash_of_the_latest_entry():
    entries = many_entries(3)
    out = io.StringIO()

    call_command("audit_head", stdout=out)

    assert out.getvalue().strip() == f"3 {entries[-1].hash}"
    assert chain_head() == entries[-1]


def test_the_hash_covers_every_field_an_entry_states(secretary, organisation):
    event = record(AuditAction.DELETED, actor=secretary, organisation=organisation, target=organisation, number=1)
    stored = AuditEvent.objects.values().get(pk=event.pk)

    assert entry_hash(stored) == event.hash
    for name, other in [
        ("actor_username", "someone-else"),
        ("action", AuditAction.EXPORTED.value),
        ("organisation_id", None),
        ("target_id", "999"),
        ("target_label", "інше"),
        ("details", {"number": 2}),
        ("client_ip", "10.0.0.1"),
    ]:
        assert entry_hash({**stored, name: other}) != event.hash, name


# What an attacker does to entry 5 of 8, and what the command must say about it.
TAMPERING = {
    "changed details": (
        ["UPDATE audit_auditevent SET details = '{\"number\": 99}' WHERE sequence = 5"],
        5,
        "its content does not match its hash",
    ),
    "changed action": (
        ["UPDATE audit_auditevent SET action = 'signed_out' WHERE sequence = 5"],
        5,
        "its content does not match its hash",
    ),
    "changed actor": (
        ["UPDATE audit_auditevent SET actor_username = 'nobody' WHERE sequence = 5"],
        5,
        "its content does not match its hash",
    ),
    "changed hash": (
        [f"UPDATE audit_auditevent SET hash = '{'a' * 64}' WHERE sequence = 5"],
        5,
        "its content does not match its hash",
    ),
    "deleted row": (["DELETE FROM audit_auditevent WHERE sequence = 5"], 5, "it is missing"),
    "swapped order": (
        [
            "UPDATE audit_auditevent SET sequence = 1000000 WHERE sequence = 5",
            "UPDATE audit_auditevent SET sequence = 5 WHERE sequence = 6",
            "UPDATE audit_auditevent SET sequence = 6 WHERE sequence = 1000000",
        ],
        5,
        "its previous hash does not match the entry before it",
    ),
    "rewritten time": (
        ["UPDATE audit_auditevent SET occurred_at = occurred_at - interval '1 day' WHERE sequence = 5"],
        5,
        "its content does not match its hash",
    ),
}


@pytest.mark.parametrize(("statements", "broken", "problem"), TAMPERING.values(), ids=TAMPERING.keys())
def test_an_edit_by_sql_is_caught_and_the_first_broken_entry_named(attacker, secretary, statements, broken, problem):
    many_entries(8, actor=secretary)
    assert verify().startswith("8 entries, chain intact")

    for statement in statements:
        attacker(statement)

    with pytest.raises(CommandError) as refused:
        verify()
    assert refused.value.returncode == 1
    assert str(refused.value).startswith(f"Chain broken at entry {broken}: {problem}")
    assert "4 entries before it are intact" in str(refused.value)


def test_a_chain_rewritten_after_an_edit_no_longer_matches_the_head_written_down_before(attacker, secretary):
    """An attacker who recomputes every hash after their edit passes the walk, but not the head printed earlier on a
    report: entry 8's hash is no longer the one written down."""
    entries = many_entries(8, actor=secretary)
    printed = (entries[-1].sequence, entries[-1].hash)
    attacker("UPDATE audit_auditevent SET details = '{\"number\": 99}' WHERE sequence = 5")
    previous = AuditEvent.objects.get(sequence=4).hash
    for row in AuditEvent.objects.filter(sequence__gte=5).order_by("sequence").values():
        row["previous_hash"] = previous
        previous = entry_hash(row)
        attacker(
            "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
            [row["previous_hash"], previous, row["id"]],
        )

    assert verify().startswith("8 entries, chain intact")
    assert AuditEvent.objects.get(sequence=printed[0]).hash != printed[1]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET details = '{}' WHERE sequence = 1",
        "DELETE FROM audit_auditevent WHERE sequence = 1",
    ],
    ids=["update", "delete"],
)
def test_the_database_itself_refuses_to_change_or_delete_an_entry(statement):
    many_entries(2)

    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        sql(statement)


def test_the_model_refuses_to_change_or_delete_an_entry():
    event = many_entries(1)[0]
    event.target_label = "змінено"

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(target_label="змінено")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_deleting_the_person_keeps_their_entries_and_the_chain(secretary):
    record(AuditAction.SIGNED_IN, actor=secretary)
    account = secretary.pk
    secretary.delete()

    event = AuditEvent.objects.get()
    assert (event.actor_username, event.actor_id) == ("secretary", account)
    assert verify().startswith("1 entries, chain intact")


@pytest.mark.django_db(transaction=True)
def test_two_writers_appending_at_once_never_chain_onto_the_same_entry():
    """Two threads, each with its own PostgreSQL connection, append in parallel; each append also does a little work
    in its transaction after reading the head, which is when a missing lock would let the other writer in."""
    per_writer = 40
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            start.wait()
            for n in range(per_writer):
                with transaction.atomic():
                    record(AuditAction.EXPORTED, username=name, number=n)
                    AuditEvent.objects.count()
        except BaseException as error:  # reported to the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()

    assert failures == []
    assert AuditEvent.objects.count() == 2 * per_writer
    assert verify() == f"{2 * per_writer} entries, chain intact, head {chain_head().hash}"
    assert AuditEvent.objects.filter(actor_username="first").count() == per_writer
