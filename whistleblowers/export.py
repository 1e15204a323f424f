"""The journals as .xlsx workbooks (the same rows and columns as the pages)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import workbook_bytes


def report_journal_xlsx(rows) -> bytes:
    headers = [
        _("Registration number"),
        _("Received"),
        _("Channel"),
        _("Anonymous"),
        _("Summary"),
        _("Unit concerned"),
        _("Status"),
        _("Assignee"),
        _("Next deadline"),
        _("Overdue"),
        _("Forwarded"),
        _("Outcome"),
        _("Whistleblower informed on"),
    ]
    data = []
    for row in rows:
        report = row.report
        upcoming = row.next
        data.append(
            [
                report.registration_number or _("not registered"),
                timezone.localdate(report.received_at),
                report.get_channel_display(),
                _("yes") if report.is_anonymous else _("no"),
                report.summary,
                str(report.accused_unit or ""),
                report.get_status_display(),
                (report.assignee.get_full_name() or report.assignee.get_username()) if report.assignee else "",
                f"{upcoming.label}: {upcoming.due:%d.%m.%Y}" if upcoming else "",
                _("yes") if row.overdue else "",
                "; ".join(
                    f"{forwarding.get_recipient_display()} {forwarding.sent_on:%d.%m.%Y} № {forwarding.outgoing_number}"
                    for forwarding in report.forwardings.all()
                ),
                report.outcome,
                report.reporter_informed_on,
            ]
        )
    return workbook_bytes(_("Whistleblower reports"), headers, data)


def inducement_journal_xlsx(notifications) -> bytes:
    headers = [
        _("No."),
        _("Registration date"),
        _("Incoming document number and date"),
        _("Notifier; from where and whom the document came"),
        _("Summary of the document"),
        _("Number of sheets"),
        _("Management's resolution and due date"),
        _("Executor and receipt acknowledgement"),
        _("Executed document number and date"),
        _("Case file number"),
    ]
    data = [
        [
            f"{item.sequence}/{item.year}",
            item.registered_on,
            " ".join(
                filter(None, [item.incoming_number, f"{item.incoming_date:%d.%m.%Y}" if item.incoming_date else ""])
            ),
            item.notifier,
            item.summary,
            item.sheets,
            " ".join(filter(None, [item.resolution, f"{item.resolution_due:%d.%m.%Y}" if item.resolution_due else ""])),
            " ".join(
                filter(
                    None,
                    [item.executor, f"{item.receipt_acknowledged_on:%d.%m.%Y}" if item.receipt_acknowledged_on else ""],
                )
            ),
            " ".join(
                filter(
                    None,
                    [
                        item.executed_document_number,
                        f"{item.executed_document_date:%d.%m.%Y}" if item.executed_document_date else "",
                    ],
                )
            ),
            item.case_file_number,
        ]
        for item in notifications
    ]
    return workbook_bytes(_("Inducement notifications"), headers, data)
