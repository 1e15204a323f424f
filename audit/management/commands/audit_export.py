"""Write the audit trail (or the part of it between two dates) as CSV, oldest first, to standard output or a file."""

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.export import events_csv
from audit.models import AuditEvent


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Export audit trail entries as CSV; --since and --until are days (YYYY-MM-DD), both included."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_day, help="first day included (YYYY-MM-DD)")
        parser.add_argument("--until", type=_day, help="last day included (YYYY-MM-DD)")
        parser.add_argument("--output", help="file to write; standard output if not given")

    def handle(self, *args, since=None, until=None, output=None, **options):
        if since and until and since > until:
            raise CommandError("--since is after --until.")
        events = AuditEvent.objects.select_related("organisation").order_by("sequence")
        if since:
            events = events.filter(occurred_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)))
        if until:
            end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min)
            events = events.filter(occurred_at__lt=timezone.make_aware(end))
        if output:
            with open(output, "w", newline="", encoding="utf-8") as out:
                events_csv(events.iterator(chunk_size=2000), out)
        else:
            events_csv(events.iterator(chunk_size=2000), self.stdout)
