"""The legal deadlines of one whistleblower case (domain §6), computed from its dates (pure functions, no ORM).

Preliminary review is counted in working days; the other terms in calendar days that, by the general rule of
Ukrainian law, end on the next working day when they fall on a day off. Both use `core.workdays`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from django.utils.translation import gettext_lazy as _

from core.workdays import UKRAINE, WorkCalendar, add_calendar_days, add_working_days, working_days_between
from whistleblowers.choices import CaseStatus

DUE_SOON_WORKING_DAYS = 2
AFTER_REVIEW = {
    CaseStatus.VERIFICATION,
    CaseStatus.FORWARDED,
    CaseStatus.NOT_IN_COMPETENCE,
    CaseStatus.ORDINARY_APPEAL,
    CaseStatus.CLOSED,
}


@dataclass(frozen=True)
class CaseDates:
    received_on: date
    status: str
    concerns_head: bool = False
    status_changed_on: date | None = None
    verification_started_on: date | None = None
    verification_extended: bool = False
    closed_on: date | None = None
    reporter_informed_on: date | None = None
    first_forwarded_on: date | None = None
    offence_signs_found_on: date | None = None


@dataclass(frozen=True)
class CaseDeadline:
    key: str
    label: str
    due: date
    done: bool
    today: date

    @property
    def overdue(self) -> bool:
        return not self.done and self.today > self.due

    @property
    def due_soon(self) -> bool:
        return (
            not self.done and not self.overdue and working_days_between(self.today, self.due) <= DUE_SOON_WORKING_DAYS
        )

    @property
    def state(self) -> str:
        if self.done:
            return "done"
        if self.overdue:
            return "overdue"
        return "due-soon" if self.due_soon else "open"


def case_deadlines(case: CaseDates, rules, *, today: date, calendar: WorkCalendar = UKRAINE) -> list[CaseDeadline]:
    """Every deadline that applies to the case so far, in the order they arise."""
    deadlines = [
        CaseDeadline(
            "preliminary_review",
            _("Preliminary review"),
            add_working_days(case.received_on, rules.preliminary_review_working_days, calendar),
            case.status in AFTER_REVIEW,
            today,
        )
    ]
    if case.concerns_head:
        deadlines.append(
            CaseDeadline(
                "forward_about_head",
                _("Forward the report about the head to the competent body"),
                add_calendar_days(case.received_on, rules.forward_about_head_days, calendar),
                case.first_forwarded_on is not None,
                today,
            )
        )
    if case.offence_signs_found_on:
        # A term in hours runs from the moment itself and is not moved to a working day.
        days = max(1, ceil(rules.offence_notice_hours / 24))
        deadlines.append(
            CaseDeadline(
                "offence_notice",
                _("Notify the specially authorised body of the signs of an offence"),
                case.offence_signs_found_on + timedelta(days=days),
                case.first_forwarded_on is not None and case.first_forwarded_on >= case.offence_signs_found_on,
                today,
            )
        )
    if case.status == CaseStatus.NOT_IN_COMPETENCE and case.status_changed_on:
        deadlines.append(
            CaseDeadline(
                "not_in_competence_notice",
                _("Tell the whistleblower the report is not within the body's competence"),
                add_calendar_days(case.status_changed_on, rules.not_in_competence_notice_days, calendar),
                case.reporter_informed_on is not None,
                today,
            )
        )
    if case.verification_started_on:
        days = rules.verification_extended_days if case.verification_extended else rules.verification_days
        deadlines.append(
            CaseDeadline(
                "verification",
                _("Verification"),
                add_calendar_days(case.verification_started_on, days, calendar),
                case.closed_on is not None or case.status == CaseStatus.FORWARDED,
                today,
            )
        )
    if case.closed_on:
        deadlines.append(
            CaseDeadline(
                "result_notice",
                _("Tell the whistleblower the result"),
                add_calendar_days(case.closed_on, rules.result_notice_days, calendar),
                case.reporter_informed_on is not None and case.reporter_informed_on >= case.closed_on,
                today,
            )
        )
    return deadlines


def earliest_disclosure_on(notified_on: date, rules, *, calendar: WorkCalendar = UKRAINE) -> date:
    """The first day a whistleblower's identity may be lawfully disclosed (art. 53-5): the notice must come at least
    `rules.disclosure_notice_working_days` working days before, and the day of the notice itself is not counted."""
    return add_working_days(notified_on, rules.disclosure_notice_working_days, calendar)


def next_deadline(deadlines: list[CaseDeadline]) -> CaseDeadline | None:
    """The earliest deadline still open."""
    return min((deadline for deadline in deadlines if not deadline.done), key=lambda d: d.due, default=None)
