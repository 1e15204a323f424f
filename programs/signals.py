"""Signals programs sends, so that the apps above it act on a program's changes without programs importing them."""

from django.dispatch import Signal

# Sent with `program`, inside the transaction that saved it, whenever a program that is reported on (in force or under
# revision) has been saved: it has just come into force, or a revision may have changed its years. Reports opens the
# reporting periods of its years (reports.execution.receivers); an error there undoes the save.
reported_program_saved = Signal()
