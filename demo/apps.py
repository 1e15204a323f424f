from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`manage.py load_demo` and its seed data: on top of every app, imported by none."""

    name = "demo"
    verbose_name = _("Demo data")
