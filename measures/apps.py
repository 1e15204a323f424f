from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures")

    def ready(self) -> None:
        # Keeps each measure's place in its program's order when what the order reads is saved.
        from measures import places  # noqa: F401
