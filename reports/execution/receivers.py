"""Receivers of the signals of the apps below reports: what reports does when something happens there."""

from __future__ import annotations

from django.dispatch import receiver

from programs.models import Program
from programs.signals import reported_program_saved
from reports.execution.periods_create import reporting_periods_create


@receiver(reported_program_saved, dispatch_uid="reports.open_reporting_periods")
def open_reporting_periods(sender, *, program: Program, **kwargs) -> None:
    """Quarters, half-years and years of every program year, with their due dates; existing ones stay as they are."""
    reporting_periods_create(program=program)
