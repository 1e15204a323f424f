"""Reads of whistleblower records. Reports, identities and the inducement journal reach only the officer (through
`restrict`); other roles get anonymised counts and nothing else."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.access import Action, user_organisation_ids, user_scope
from core.roles import Role
from core.workdays import working_days_between
from programs.models import Organisation
from whistleblowers.choices import CaseStatus, MessageAuthor
from whistleblowers.deadlines import CaseDates, CaseDeadline, case_deadlines, next_deadline
from whistleblowers.models import (
    CaseRules,
    DisclosureNotice,
    InducementNotification,
    ReportAttachment,
    ReportMessage,
    WhistleblowerReport,
)
from whistleblowers.permissions import WHISTLEBLOWER_STATS_ROLES
from whistleblowers.receipts import receipt_hash


def officer_summary(*, user) -> dict:
    reports = WhistleblowerReport.objects.restrict(user)
    counts = dict(reports.values_list("status").annotate(count=Count("pk")).order_by())
    return {
        "total": sum(counts.values()),
        "by_status": [(status.label, counts[status.value]) for status in CaseStatus if status.value in counts],
        "inducements": InducementNotification.objects.restrict(user).count(),
    }


def anonymised_counts(*, user) -> list[dict]:
    """Reports per year and status for the organisations a manager or secretary works in: numbers only, no rows."""
    organisations = user_organisation_ids(user, WHISTLEBLOWER_STATS_ROLES)
    rows = (
        WhistleblowerReport.objects.filter(organisation__in=organisations)
        .values("received_at__year", "status")
        .annotate(count=Count("pk"))
        .order_by("received_at__year", "status")
    )
    return [{"year": row["received_at__year"], "status": row["status"], "count": row["count"]} for row in rows]


def officer_organisations(*, user):
    from programs.models import Organisation

    # Only where the user is the officer itself: a parent body's officer does not register its children's reports.
    own = user_scope(user).organisations({Role.OFFICER}, descendants=False)
    return Organisation.objects.filter(pk__in=own).order_by("name")


def report_queryset(*, user, action: Action = Action.VIEW) -> QuerySet[WhistleblowerReport]:
    """Reports with their first forwarding date and, while a disclosure notice is pending, the day the identity may
    be disclosed from (`disclosure_allowed_from`, None otherwise)."""
    pending_notices = (
        DisclosureNotice.objects.filter(report=OuterRef("pk"), disclosed_on__isnull=True, withdrawn_at__isnull=True)
        .order_by("earliest_disclosure_on")
        .values("earliest_disclosure_on")[:1]
    )
    return (
        WhistleblowerReport.objects.restrict(user, action)
        .select_related("organisation", "assignee", "accused_unit")
        .annotate(first_forwarded_on=Min("forwardings__sent_on"), disclosure_allowed_from=Subquery(pending_notices))
        .order_by("-received_at", "-pk")
    )


def report_get(*, user, pk: int, action: Action = Action.VIEW) -> WhistleblowerReport:
    """The report, or 404 for anyone but the officer of its organisation."""
    return get_object_or_404(report_queryset(user=user, action=action), pk=pk)


def rules_by_organisation(organisation_ids) -> dict[int, CaseRules]:
    wanted = set(organisation_ids)
    found = {rules.organisation_id: rules for rules in CaseRules.objects.filter(organisation__in=wanted)}
    for organisation_id in wanted - found.keys():
        found[organisation_id] = CaseRules(organisation_id=organisation_id)  # the defaults, unsaved
    return found


# The report fields its deadlines depend on; rows read with .values(*CASE_DATE_FIELDS) build the same CaseDates.
CASE_DATE_FIELDS = (
    "received_at",
    "status",
    "concerns_head",
    "status_changed_on",
    "verification_started_on",
    "verification_extended",
    "closed_on",
    "reporter_informed_on",
    "offence_signs_found_on",
)


def case_dates_from(values: Mapping) -> CaseDates:
    """CaseDates from a report's CASE_DATE_FIELDS (and its first forwarding date, when annotated)."""
    fields = {name: values[name] for name in CASE_DATE_FIELDS if name != "received_at"}
    return CaseDates(
        received_on=timezone.localdate(values["received_at"]),
        first_forwarded_on=values.get("first_forwarded_on"),
        **fields,
    )


def report_case_dates(report: WhistleblowerReport) -> CaseDates:
    values = {name: getattr(report, name) for name in CASE_DATE_FIELDS}
    return case_dates_from({**values, "first_forwarded_on": getattr(report, "first_forwarded_on", None)})


def report_deadlines(report: WhistleblowerReport, rules: CaseRules, *, today: date | None = None) -> list[CaseDeadline]:
    return case_deadlines(report_case_dates(report), rules, today=today or timezone.localdate())


@dataclass
class JournalRow:
    report: WhistleblowerReport
    deadlines: list[CaseDeadline]

    @property
    def next(self) -> CaseDeadline | None:
        return next_deadline(self.deadlines)

    @property
    def overdue(self) -> bool:
        return any(deadline.overdue for deadline in self.deadlines)


def journal_rows(reports, *, today: date | None = None) -> list[JournalRow]:
    """Each report with its deadlines; the rules of all organisations are read in one query."""
    reports = list(reports)
    rules = rules_by_organisation(report.organisation_id for report in reports)
    today = today or timezone.localdate()
    return [
        JournalRow(report, report_deadlines(report, rules[report.organisation_id], today=today)) for report in reports
    ]


# A case is still being handled until it is closed, forwarded or sorted out as not the body's own.
FINISHED_STATUSES = (CaseStatus.CLOSED, CaseStatus.NOT_IN_COMPETENCE, CaseStatus.ORDINARY_APPEAL)


def officer_todo(*, user, today: date | None = None, limit: int = 10) -> list[JournalRow]:
    """The officer's open cases, nearest legal deadline first (overdue ones first of all)."""
    reports = report_queryset(user=user).exclude(status__in=FINISHED_STATUSES)
    rows = [row for row in journal_rows(reports, today=today) if row.next is not None]
    rows.sort(key=lambda row: (not row.overdue, row.next.due))
    return rows[:limit]


def report_messages(*, report: WhistleblowerReport) -> QuerySet[ReportMessage]:
    return (
        ReportMessage.objects.filter(report=report)
        .select_related("officer")
        .prefetch_related(Prefetch("attachments", queryset=ReportAttachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def report_disclosure_notices(*, report: WhistleblowerReport) -> QuerySet[DisclosureNotice]:
    return (
        DisclosureNotice.objects.filter(report=report)
        .select_related("created_by", "disclosed_by", "withdrawn_by")
        .order_by("created_at", "pk")
    )


def attachment_get(*, user, pk: int) -> ReportAttachment:
    return get_object_or_404(ReportAttachment.objects.restrict(user).select_related("report"), pk=pk)


def report_by_receipt(*, organisation, receipt: str) -> WhistleblowerReport | None:
    """The whistleblower's own report, found by the slow hash of the receipt they typed."""
    if len(receipt) != 16:
        return None
    digest = receipt_hash(receipt, organisation_id=organisation.pk)
    return (
        WhistleblowerReport.objects.filter(organisation=organisation, receipt_hash=digest)
        .annotate(first_forwarded_on=Min("forwardings__sent_on"))
        .first()
    )


def unread_from_reporter(*, report: WhistleblowerReport) -> int:
    return report.messages.filter(author=MessageAuthor.REPORTER, read_at__isnull=True).count()


def inducement_queryset(*, user, action: Action = Action.VIEW) -> QuerySet[InducementNotification]:
    return (
        InducementNotification.objects.restrict(user, action)
        .select_related("organisation")
        .order_by("-year", "-sequence")
    )


# --- anonymised numbers for the dashboard: counts only, never a report, a text or an identity ---


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
