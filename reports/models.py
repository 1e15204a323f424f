"""The reports app's models, each defined in its room; Django finds an app's models here."""

from reports.documents.models import GeneratedReport
from reports.execution.models import (
    Evaluation,
    Evidence,
    ExecutionEntry,
    PeriodEvent,
    ReminderDelivery,
    ReportingPeriod,
)

__all__ = [
    "Evaluation",
    "Evidence",
    "ExecutionEntry",
    "GeneratedReport",
    "PeriodEvent",
    "ReminderDelivery",
    "ReportingPeriod",
]
