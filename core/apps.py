from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses and that knows no domain: permissions, locking, history, periods, the API's base."""

    name = "core"
    verbose_name = _("Shared plumbing")
