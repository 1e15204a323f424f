"""Print the audit trail's head: the number and hash of the latest entry, to be written down or printed on a report.
A later edit of any entry up to it changes the hashes from there on, so the printed hash no longer matches."""

from django.core.management.base import BaseCommand

from audit.chain import GENESIS
from audit.services import chain_head


class Command(BaseCommand):
    help = "Print the number and hash of the latest audit trail entry."

    def handle(self, *args, **options):
        head = chain_head()
        if head is None:
            self.stdout.write(f"0 {GENESIS}")
        else:
            self.stdout.write(f"{head.sequence} {head.hash}")
