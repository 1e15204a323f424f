"""Drain the officers' notice outbox without a worker: the embedded default (no broker) runs this from cron."""

from django.core.management.base import BaseCommand

from whistleblowers.models import OfficerNotice
from whistleblowers.notifications import officer_notices_send_pending


class Command(BaseCommand):
    help = "Send the officers' e-mails about new whistleblower reports and messages that are still unsent."

    def handle(self, *args, **options) -> None:
        sent = officer_notices_send_pending()
        waiting = OfficerNotice.objects.filter(sent_at__isnull=True).count()
        self.stdout.write(f"Sent {sent} notice(s); {waiting} still waiting for the mail server.")
