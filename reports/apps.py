from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Execution reporting")

    def ready(self) -> None:
        # The seal's system checks register on import. Celery's autodiscovery imports only an app's `tasks` module;
        # the rooms' task modules are imported here so that the worker knows their tasks. The receivers open a
        # program's reporting periods when programs signals it has been saved in force.
        from reports.documents import checks, tasks  # noqa: F401
        from reports.documents.withdrawal import journals_withdraw_on_case_erased
        from reports.execution import receivers  # noqa: F401
        from reports.execution import tasks as execution_tasks  # noqa: F401
        from whistleblowers.signals import case_erased

        # An erased whistleblower case takes the journals that quoted it along (retention, domain §6).
        case_erased.connect(journals_withdraw_on_case_erased, dispatch_uid="reports.journals_withdraw_on_case_erased")
