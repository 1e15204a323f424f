"""The roles a person holds in an organisation: what the permission mechanism (`core.access`) grants by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARY = "secretary", _("Commission secretary")
    REPORTER = "reporter", _("Unit reporter")
    COMMISSION = "commission", _("Commission member")
    MANAGER = "manager", _("Manager")
    OFFICER = "officer", _("Anti-corruption officer")
    ADMIN = "admin", _("Administrator")
