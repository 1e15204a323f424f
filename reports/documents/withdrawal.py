"""Generated journals that quoted a whistleblower case give way when the case is erased (retention, domain §6).

A journal rendered before the erasure still holds the case's erased texts (who was accused, in the whistleblower
journal), so keeping its file would keep what the retention period requires to be gone. Its file is deleted from the
storage and its row stays, marked withdrawn, so the officer's list says why it is missing and that asking again
renders a journal without the erased texts. The inducement journal quotes no whistleblower case and is left alone.

The erasure asks for it by the signal `whistleblowers.signals.case_erased`, connected in `reports.apps`.
"""

from __future__ import annotations

from django.db import transaction

from reports.choices import ReportKind, ReportStatus
from reports.documents.models import GeneratedReport

# The generated kinds whose documents quote a whistleblower case's texts.
QUOTING_CASES = (ReportKind.WHISTLEBLOWER_JOURNAL,)


@transaction.atomic
def journals_withdraw_for_erased_case(*, organisation_id: int, year: int | None) -> int:
    """Withdraw the journals of the erased case's organisation and registration year; returns how many.

    Pending and rendering ones go too: their render may have read the case before the erasure, and a render that
    finds its report withdrawn discards what it made. Files are deleted before the rows are marked: if the
    transaction then fails, the rows name missing files and the erasure, tried again, marks them.
    """
    if year is None:  # never registered: no journal lists the case
        return 0
    reports = list(
        GeneratedReport.objects.select_for_update()
        .filter(kind__in=QUOTING_CASES, organisation_id=organisation_id, year=year)
        .exclude(status__in=(ReportStatus.FAILED, ReportStatus.WITHDRAWN))
        .only("pk", "file")
    )
    for report in reports:
        if report.file:
            report.file.storage.delete(report.file.name)
    return GeneratedReport.objects.filter(pk__in=[report.pk for report in reports]).update(
        status=ReportStatus.WITHDRAWN, file="", sha256="", size=None, pages=None, error=""
    )


def journals_withdraw_on_case_erased(sender, *, organisation_id: int, year: int | None, **kwargs) -> int:
    """The receiver of `case_erased`, sent in the erasing transaction: the count goes into the erasure's record."""
    return journals_withdraw_for_erased_case(organisation_id=organisation_id, year=year)
