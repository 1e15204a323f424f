from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistleblowersConfig(AppConfig):
    name = "whistleblowers"
    verbose_name = _("Whistleblowers")
