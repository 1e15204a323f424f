"""Names of downloaded report files that say what the file is: «ДМС_виконання_2023.pdf», not `execution-1.pdf`.

Organisation short name, kind of report, period, in the report's own language; the name is non-ASCII, so the download
sends it as RFC 6266 `filename*` (Django's FileResponse does so for any non-ASCII name).
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import pgettext

from core.periods import PeriodKind, period_label
from reports.choices import ReportFormat, ReportKind
from reports.documents.services import EXTENSIONS

# Characters that no common file system accepts in a name, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def _kind_word(kind: str) -> str:
    words = {
        ReportKind.EXECUTION: pgettext("file name", "execution"),
        ReportKind.PROGRAM: pgettext("file name", "program"),
        ReportKind.FORM1: pgettext("file name", "Form_1"),
        ReportKind.INDUCEMENT_JOURNAL: pgettext("file name", "inducement_journal"),
        ReportKind.WHISTLEBLOWER_JOURNAL: pgettext("file name", "whistleblower_journal"),
        ReportKind.RISK_REGISTER: pgettext("file name", "risk_register"),
    }
    return words.get(kind, kind)


def report_file_name(
    *,
    organisation: str,
    kind: str,
    file_format: str,
    extension: str,
    language: str,
    period_kind: str | None = None,
    year: int | None = None,
    number: int | None = None,
) -> str:
    """«ДМС_виконання_2023.pdf», «ДМС_виконання_ІІ_квартал_2024_року.pdf», «ДМС_програма.pdf»; the archival copy
    says so («…_PDF-A.pdf»)."""
    with translation.override(language):
        parts = [organisation, _kind_word(kind)]
        if period_kind == PeriodKind.YEAR or (period_kind is None and year):
            parts.append(str(year))
        elif period_kind is not None:
            parts.append(period_label(period_kind, year, number))
        if file_format == ReportFormat.PDFA:
            parts.append("PDF-A")
    stem = "_".join(re.sub(r"\s+", "_", _UNSAFE.sub(" ", part).strip()) for part in parts if part)
    return f"{stem}.{extension}"


def file_name_of(report) -> str:
    """The download name of a stored report (its organisation and period loaded with it)."""
    period = report.period
    return report_file_name(
        organisation=report.organisation.short_name,
        kind=report.kind,
        file_format=report.format,
        extension=EXTENSIONS[report.format],
        language=report.language,
        period_kind=period.kind if period is not None else None,
        year=period.year if period is not None else report.year,
        number=period.number if period is not None else None,
    )
