from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Execution reporting")

    def ready(self) -> None:
        # Celery's autodiscovery imports only tasks.py; the reminder task lives in its own module.
        from . import checks, reminders  # noqa: F401
