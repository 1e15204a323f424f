from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Sign-in, sign-in failure and sign-out are Django's own signals: the receivers must be connected at start.
        from audit import signals  # noqa: F401
