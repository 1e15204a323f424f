"""The same tables as the PDFs, as Excel workbooks for people who need to work on the numbers."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from reports.documents.content import Document, ExecutionDocument
from reports.documents.journals import InducementJournal, WhistleblowerJournal
from reports.documents.program import Form1Document, ProgramDocument


def _grouped_rows(sections, last_column: str) -> list[list]:
    """Section title rows, then one row per measure; `last_column` names the attribute of the last cell."""
    rows = []
    for section in sections:
        rows.append([section.title])
        for task in section.tasks:
            rows += [
                [
                    task.title,
                    f"{row.label} {row.content}".strip(),
                    row.deadline,
                    "\n".join(row.units),
                    row.audience,
                    row.indicator,
                    getattr(row, last_column),
                ]
                for row in task.rows
            ]
    return rows


def _plan_headers(last: str) -> list[str]:
    return [
        _("Name of the task"),
        _("Content of the measure"),
        _("Deadline"),
        _("Responsible unit"),
        _("Target audience"),
        _("Indicator (expected result)"),
        last,
    ]


def _execution_rows(document: ExecutionDocument):
    headers = document.columns or _plan_headers(_("Status of execution"))
    return headers, _grouped_rows(document.sections, "status")


def _program_rows(document: ProgramDocument):
    headers = [
        "№",
        _("Function, process"),
        _("Corruption risk"),
        _("Sources and factors"),
        _("Possible consequences"),
        _("Existing controls"),
        _("Risk level"),
        _("Residual level"),
        _("Risk owner"),
        _("Measures"),
    ]
    rows = [
        [
            risk.number,
            risk.function,
            risk.title,
            risk.factors,
            risk.consequences,
            risk.controls,
            risk.inherent,
            risk.residual,
            risk.owner,
            risk.measures,
        ]
        for risk in document.risks
    ]
    rows += [[], [_("Measures")], _plan_headers(_("Risks treated")), *_grouped_rows(document.plan, "risks")]
    return headers, rows


def _form1_rows(document: Form1Document):
    headers = [
        "№",
        _("Measures"),
        _("Intermediate results"),
        _("Reasons for non-execution (or measures of partial execution)"),
        _("Further actions for implementation"),
    ]
    rows = []
    for section in document.sections:
        rows.append([section.title])
        rows += [[row.number, row.measure, row.results, row.reasons, row.next_steps] for row in section.rows]
    return headers, rows


def _inducement_rows(document: InducementJournal):
    headers = [
        "№",
        _("Date of registration of the notification"),
        _("Registration number and date of the incoming document"),
        _("Full name of the notifier; where and from whom the document came"),
        _("Summary of the document"),
        _("Number of sheets"),
        _("Management's resolution and deadlines"),
        _("Executor and acknowledgement of receipt"),
        _("Number and date of the executed document"),
        _("Case file number"),
    ]
    rows = [
        [
            row.number,
            row.registered_on,
            row.incoming,
            row.notifier,
            row.summary,
            row.sheets,
            row.resolution,
            row.executor,
            row.executed,
            row.case_file,
        ]
        for row in document.rows
    ]
    return headers, rows


def _whistleblower_rows(document: WhistleblowerJournal):
    headers = [
        _("Registration number"),
        _("Received"),
        _("Channel"),
        _("Anonymous"),
        _("Summary"),
        _("Unit or person concerned"),
        _("Assignee"),
        _("Status"),
        _("Forwarded to"),
        _("Outcome"),
        _("Whistleblower informed on"),
    ]
    rows = [
        [
            row.number,
            row.received_on,
            row.channel,
            row.anonymous,
            row.summary,
            row.concerns,
            row.assignee,
            row.status,
            row.forwarded,
            row.outcome,
            row.informed_on,
        ]
        for row in document.rows
    ]
    return headers, rows


TABLES = {
    ExecutionDocument: _execution_rows,
    ProgramDocument: _program_rows,
    Form1Document: _form1_rows,
    InducementJournal: _inducement_rows,
    WhistleblowerJournal: _whistleblower_rows,
}


def render_xlsx(document: Document, *, language: str) -> bytes:
    from core.spreadsheets import workbook_bytes  # openpyxl, when a workbook is made (the Word renderer imports this)

    with translation.override(language):
        headers, rows = TABLES[type(document)](document)
        return workbook_bytes(
            _("Report"),
            headers,
            rows,
            preamble=[str(document.organisation), str(document.title)],
            widths=lambda index, header: 18 if index > 1 else 10,
        )
