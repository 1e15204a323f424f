"""Anonymised whistleblower numbers for the dashboard: counts only, never a report, a text or an identity."""

from __future__ import annotations

import statistics
from datetime import date

from django.db.models import Min
from django.utils import timezone

from programs.access import user_organisation_ids
from programs.models import Organisation
from programs.workdays import working_days_between

from .common import WHISTLEBLOWER_STATS_ROLES


def whistleblower_organisations(*, user) -> set[int]:
    return user_organisation_ids(user, WHISTLEBLOWER_STATS_ROLES)


def _review_finished_on(row: dict) -> date | None:
    """The day the preliminary review ended: verification began, the report was forwarded, or it was sorted out."""
    from whistleblowers.deadlines import AFTER_REVIEW

    if row["status"] not in AFTER_REVIEW:
        return None
    return row["verification_started_on"] or row["first_forwarded_on"] or row["status_changed_on"]


def whistleblower_statistics(
    *, user, organisation: Organisation | None = None, year: int | None = None, today: date | None = None
) -> dict:
    """Anonymised numbers: received, by status, overdue, median working days to the end of preliminary review.

    Only counts leave this function — no report, no text, no identity — so managers and secretaries may read them
    while the reports themselves stay with the officer. Two queries whatever the number of reports.
    """
    from whistleblowers.choices import CaseStatus
    from whistleblowers.deadlines import case_deadlines
    from whistleblowers.models import WhistleblowerReport
    from whistleblowers.selectors import CASE_DATE_FIELDS, case_dates_from, rules_by_organisation

    today = today or timezone.localdate()
    allowed = whistleblower_organisations(user=user)
    if organisation is not None:
        allowed &= {organisation.pk}
    reports = WhistleblowerReport.objects.filter(organisation__in=allowed)
    if year is not None:
        reports = reports.filter(received_at__year=year)
    rows = list(
        reports.annotate(first_forwarded_on=Min("forwardings__sent_on")).values(
            "organisation_id", "first_forwarded_on", *CASE_DATE_FIELDS
        )
    )
    rules = rules_by_organisation({row["organisation_id"] for row in rows}) if rows else {}
    by_status = dict.fromkeys(CaseStatus.values, 0)
    overdue = 0
    review_days = []
    for row in rows:
        received_on = timezone.localdate(row["received_at"])
        by_status[row["status"]] += 1
        case = case_dates_from(row)
        if any(deadline.overdue for deadline in case_deadlines(case, rules[row["organisation_id"]], today=today)):
            overdue += 1
        finished = _review_finished_on(row)
        if finished is not None:
            review_days.append(working_days_between(received_on, finished))
    return {
        "organisation": organisation.pk if organisation else None,
        "year": year,
        "received": len(rows),
        "by_status": [
            {"status": status.value, "label": str(status.label), "count": by_status[status.value]}
            for status in CaseStatus
        ],
        "open": sum(count for status, count in by_status.items() if status != CaseStatus.CLOSED),
        "overdue": overdue,
        "reviewed": len(review_days),
        "median_review_working_days": statistics.median(review_days) if review_days else None,
    }
