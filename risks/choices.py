from django.db import models
from django.utils.translation import gettext_lazy as _


class Methodology(models.TextChoices):
    NAZK_2016 = "nazk_2016", _("NAZK methodology of 2016 (decision № 126)")
    NAZK_2021 = "nazk_2021", _("NAZK methodology of 2021 (order № 830/21)")
    CUSTOM = "custom", _("Custom")


class Function(models.TextChoices):
    """General and special functions of a body, as the methodology groups risks."""

    PERSONNEL = "personnel", _("Personnel management")
    REGULATIONS = "regulations", _("Drafting regulations")
    FINANCE = "finance", _("Financial management")
    PROCUREMENT = "procurement", _("Material resources, procurement and construction")
    AUDIT = "audit", _("Internal control and audit")
    CORRUPTION_PREVENTION = "corruption_prevention", _("Corruption prevention")
    ADMINISTRATIVE_SERVICES = "administrative_services", _("Administrative services")
    OTHER = "other", _("Other special functions")


class ResidualDecision(models.TextChoices):
    """How the commission settled a risk's score: after evaluating a period, or in the annual re-assessment."""

    ACCEPTED = "accepted", _("Proposal accepted")
    OVERRIDDEN = "overridden", _("Proposal overridden")
    REASSESSED = "reassessed", _("Re-assessed in the annual round")


class RoundStatus(models.TextChoices):
    """An annual re-assessment round: open while the working group scores the risks, decided (locked) after the
    commission's decision."""

    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided by the commission")
