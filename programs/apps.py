from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Organisations and programs")

    def ready(self) -> None:
        # Connects the sign-in lockout's signal receivers.
        from programs import lockout  # noqa: F401
