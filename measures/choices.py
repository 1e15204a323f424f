from django.db import models
from django.utils.translation import gettext_lazy as _


class SectionKind(models.TextChoices):
    RISK_TREATMENT = "risk_treatment", _("Measures treating corruption risks")
    TRAINING = "training", _("Anti-corruption training")
    DISSEMINATION = "dissemination", _("Dissemination of information")
    OTHER = "other", _("Other measures")


# Trainings and dissemination of information teach and inform everyone: the methodology lets them treat no risk.
SECTIONS_TREATING_NO_RISK = frozenset({SectionKind.TRAINING, SectionKind.DISSEMINATION})


class DeadlineKind(models.TextChoices):
    DATE = "date", _("By a date")
    QUARTER = "quarter", _("In a quarter")
    HALF_YEAR = "half_year", _("In a half-year")
    YEAR = "year", _("During the year")
    EVERY_QUARTER = "every_quarter", _("Every quarter")
    EVERY_HALF_YEAR = "every_half_year", _("Every half-year")
    EVERY_YEAR = "every_year", _("Every year")
    PROGRAM_PERIOD = "program_period", _("January–December of every program year")
    CONTINUOUS = "continuous", _("Continuously")
    BEFORE_EVENT = "before_event", _("Working days before an event")
    AFTER_EVENT = "after_event", _("Working days after an event")
