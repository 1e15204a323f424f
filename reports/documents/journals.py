"""The officer's journals: inducement notifications (seed 004, Приложение 3) and whistleblower reports (domain §6).

Both are confidential: GeneratedReport's access rule lets only the anti-corruption officer reach them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programs.models import Organisation
from reports.documents.content import Document
from whistleblowers.models import Forwarding, InducementNotification, WhistleblowerReport


def _date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _joined(*parts: str, separator: str = ", ") -> str:
    return separator.join(part for part in parts if part)


@dataclass
class InducementRow:
    number: str
    registered_on: str
    incoming: str
    notifier: str
    summary: str
    sheets: int
    resolution: str
    executor: str
    executed: str
    case_file: str


@dataclass
class InducementJournal(Document):
    template = "reports/pdf/inducement_journal.html"
    year: int = 0
    rows: list[InducementRow] = field(default_factory=list)


def inducement_journal(*, organisation: Organisation, year: int, language: str = "uk") -> InducementJournal:
    with translation.override(language):
        rows = [
            InducementRow(
                number=str(item.sequence),
                registered_on=_date(item.registered_on),
                incoming=_joined(item.incoming_number, _date(item.incoming_date), separator=" / "),
                notifier=item.notifier,
                summary=item.summary,
                sheets=item.sheets,
                resolution=_joined(item.resolution, _date(item.resolution_due), separator="; "),
                executor=_joined(item.executor, _date(item.receipt_acknowledged_on), separator="; "),
                executed=_joined(item.executed_document_number, _date(item.executed_document_date), separator=" / "),
                case_file=item.case_file_number,
            )
            for item in InducementNotification.objects.filter(organisation=organisation, year=year).order_by("sequence")
        ]
        return InducementJournal(
            organisation=organisation.name,
            title=_("Journal of notifications of inducement to corruption for %(year)s") % {"year": year},
            year=year,
            rows=rows,
        )


@dataclass
class WhistleblowerRow:
    number: str
    received_on: str
    channel: str
    anonymous: str
    summary: str
    concerns: str
    assignee: str
    status: str
    forwarded: str
    outcome: str
    informed_on: str


@dataclass
class WhistleblowerJournal(Document):
    template = "reports/pdf/whistleblower_journal.html"
    year: int = 0
    rows: list[WhistleblowerRow] = field(default_factory=list)


def whistleblower_journal(*, organisation: Organisation, year: int, language: str = "uk") -> WhistleblowerJournal:
    """Registered reports of a year; never the reporter's identity, which the journal does not need."""
    with translation.override(language):
        reports = (
            WhistleblowerReport.objects.filter(organisation=organisation, registration_year=year)
            .select_related("accused_unit", "assignee")
            .prefetch_related(Prefetch("forwardings", queryset=Forwarding.objects.order_by("sent_on", "pk")))
            .order_by("registration_sequence")
        )
        rows = [
            WhistleblowerRow(
                number=report.registration_number,
                received_on=_date(timezone.localtime(report.received_at).date()),
                channel=report.get_channel_display(),
                anonymous=_("yes") if report.is_anonymous else _("no"),
                summary=report.summary,
                concerns=_joined(report.accused_unit.abbreviation if report.accused_unit else "", report.accused),
                assignee=report.assignee.get_full_name() if report.assignee else "",
                status=report.get_status_display(),
                forwarded="; ".join(
                    _joined(item.get_recipient_display(), _date(item.sent_on), item.outgoing_number, separator=" ")
                    for item in report.forwardings.all()
                ),
                outcome=report.outcome,
                informed_on=_date(report.reporter_informed_on),
            )
            for report in reports
        ]
        return WhistleblowerJournal(
            organisation=organisation.name,
            title=_("Journal of whistleblower reports for %(year)s") % {"year": year},
            year=year,
            rows=rows,
        )
