"""Dates the programs already in force by their first entry into force (its document's date, else the day of the
transition) and removes the periods that ended before it and hold nothing — no entries, events, decisions or
generated reports. A period someone already worked on is kept as it is, for a person to judge."""

import calendar
import datetime as dt

from django.db import migrations
from django.utils import timezone

IN_FORCE = "in_force"


def _ends_on(kind: str, year: int, number: int) -> dt.date:
    month = {"quarter": number * 3, "half_year": number * 6}.get(kind, 12)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def date_programs_and_drop_earlier_periods(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    ProgramStatusChange = apps.get_model("programs", "ProgramStatusChange")
    ReportingPeriod = apps.get_model("reports", "ReportingPeriod")
    for program in Program.objects.filter(in_force_on__isnull=True):
        first = ProgramStatusChange.objects.filter(program=program, to_status=IN_FORCE).order_by("changed_at").first()
        if first is None:
            continue
        program.in_force_on = first.document_date or timezone.localdate(first.changed_at)
        program.save(update_fields=["in_force_on"])
        untouched = ReportingPeriod.objects.filter(
            program=program,
            entries__isnull=True,
            events__isnull=True,
            decisions__isnull=True,
            reports__isnull=True,
        ).distinct()
        earlier = [p.pk for p in untouched if _ends_on(p.kind, p.year, p.number) < program.in_force_on]
        ReportingPeriod.objects.filter(pk__in=earlier).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_generated_report_word_format"),
        ("programs", "0009_program_in_force_on"),
    ]

    operations = [
        migrations.RunPython(date_programs_and_drop_earlier_periods, migrations.RunPython.noop),
    ]
