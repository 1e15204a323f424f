"""Receivers of the signals of the apps below reports: what reports does when something happens there."""

from __future__ import annotations

from django.db import connection
from django.dispatch import receiver

from measures.places import places_changed
from programs.models import Program
from programs.signals import reported_program_saved
from reports.execution.periods_create import reporting_periods_create


@receiver(reported_program_saved, dispatch_uid="reports.open_reporting_periods")
def open_reporting_periods(sender, *, program: Program, **kwargs) -> None:
    """Quarters, half-years and years of every program year, with their due dates; existing ones stay as they are."""
    reporting_periods_create(program=program)


_ENTRY_PLACES = """
UPDATE reports_executionentry SET measure_place = measures_measure.place
FROM measures_measure
WHERE reports_executionentry.measure_id = measures_measure.id
  AND reports_executionentry.measure_place <> measures_measure.place
  AND measures_measure.task_id IN (
      SELECT t.id FROM measures_task t INNER JOIN measures_measuresection s ON s.id = t.section_id
      WHERE s.program_id = %s
  )
"""


@receiver(places_changed, dispatch_uid="reports.entry_places")
def entry_places(sender, *, program_id: int, **kwargs) -> None:
    """The program's entries take their measures' new places: the entries list sorts on them."""
    with connection.cursor() as cursor:
        cursor.execute(_ENTRY_PLACES, [program_id])
