"""`manage.py run_daily_jobs`: the scheduler's morning jobs, for the embedded default where no beat runs.

Run it once a day (cron or a systemd timer); running it twice on a day reminds nobody twice.
"""

from django.core.management.base import BaseCommand

from idempotency.services import idempotency_cleanup
from reports.execution.automation import periods_remind
from reports.execution.period_services import reminders_send_pending
from whistleblowers.retention import retention_run


class Command(BaseCommand):
    help = (
        "Remind units before a quarter's due date and after it, erase whistleblower cases past their retention "
        "period (what Celery beat runs every morning)."
    )

    def handle(self, *args, **options):
        result = periods_remind()
        self.stdout.write(
            f"Reminders before the due date: {len(result.due_soon)} period(s); "
            f"to late units: {len(result.overdue)} period(s)."
        )
        # Without a worker nobody drains the reminders' outbox in between: what was refused is retried here.
        self.stdout.write(f"Reminders from the outbox sent again: {reminders_send_pending()}.")
        self.stdout.write(f"Expired Idempotency-Keys forgotten: {idempotency_cleanup()}.")
        self.stdout.write(f"Whistleblower cases erased after their retention period: {retention_run()}.")
