"""Each measure's place in its program's order (section, task, position, number), stored as a number.

The program order is `Measure.Meta.ordering`, across three tables; a long list sorted on it (6,000 execution entries
for a page of 50) joined and sorted every measure, task and section. `Measure.place` is the measure's rank in that
order within its program (1, 2, 3 …), kept by one statement whenever something that the order reads is saved: a
measure's task, position or number, a task's section or number, a section's number. Places that changed are
announced by `places_changed`, whose receivers copy them to what sorts on them (the execution entries, which rank
above this app). A deletion leaves the others in the same order, and so their places.

`Measure.place` is the list's sort key, not data: it is not in the history, the forms or the API. Bulk writes
(QuerySet.update, bulk_update, bulk_create) send no signal: code that moves rows that way calls `renumber_places`.
`places_deferred()` renumbers each touched program once, at the end of an import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from measures.models import Measure, MeasureSection, Task

# Sent with `program_id` once the places of that program's measures changed.
places_changed = Signal()

# The fields the program order reads, by model.
ORDER_FIELDS = {Measure: {"task", "position", "number"}, Task: {"section", "number"}, MeasureSection: {"number"}}

_RENUMBER = """
UPDATE measures_measure SET place = ranked.place
FROM (
    SELECT m.id AS id, ROW_NUMBER() OVER (ORDER BY s.number, t.number, m.position, m.number, m.id) AS place
    FROM measures_measure m
    INNER JOIN measures_task t ON t.id = m.task_id
    INNER JOIN measures_measuresection s ON s.id = t.section_id
    WHERE s.program_id = %s
) AS ranked
WHERE measures_measure.id = ranked.id AND measures_measure.place <> ranked.place
"""

_deferred: ContextVar[set[int] | None] = ContextVar("places_deferred", default=None)


def renumber_places(program_id: int) -> int:
    """Give the program's measures their places in the program order; returns how many changed (and announces them)."""
    pending = _deferred.get()
    if pending is not None:
        pending.add(program_id)
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_RENUMBER, [program_id])
        changed = cursor.rowcount
    if changed:
        places_changed.send(sender=Measure, program_id=program_id)
    return changed


@contextlib.contextmanager
def places_deferred() -> Iterator[None]:
    """Within the block, renumber nothing; on leaving it, renumber each program touched, once."""
    if _deferred.get() is not None:  # nested: the outer block renumbers
        yield
        return
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for program_id in sorted(pending):
        renumber_places(program_id)


def _moves_order(sender, created: bool, update_fields) -> bool:
    return created or update_fields is None or bool(ORDER_FIELDS[sender] & set(update_fields))


@receiver(post_save, sender=Measure, dispatch_uid="measures.places.measure_saved")
def _measure_saved(sender, instance: Measure, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    if raw or not _moves_order(sender, created, update_fields):
        return
    # The task and its section are usually loaded (services and forms resolve them); otherwise one query.
    task = instance._state.fields_cache.get("task")
    section = task._state.fields_cache.get("section") if task is not None else None
    if section is not None:
        program_id = section.program_id
    else:
        program_id = MeasureSection.objects.filter(tasks=instance.task_id).values_list("program_id", flat=True)[0]
    renumber_places(program_id)


@receiver(post_save, sender=Task, dispatch_uid="measures.places.task_saved")
def _task_saved(sender, instance: Task, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    # A new task has no measures yet: their own saves place them.
    if raw or created or not _moves_order(sender, created, update_fields):
        return
    renumber_places(MeasureSection.objects.filter(pk=instance.section_id).values_list("program_id", flat=True)[0])


@receiver(post_save, sender=MeasureSection, dispatch_uid="measures.places.section_saved")
def _section_saved(sender, instance: MeasureSection, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    if raw or created or not _moves_order(sender, created, update_fields):
        return
    renumber_places(instance.program_id)
