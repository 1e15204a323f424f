"""The program's lifecycle and the revision deadlines of seed 000 §IV, as plain functions with no ORM."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from programs.choices import ProgramStatus as S

# Which status may follow which. The order comes from practice (domain §2): a draft goes to public discussion and is
# approved by the head's order, then agreed with NAZK; a returned program is reworked and approved again (or goes
# back to a draft); changes to a program in force are agreed again before it is in force once more.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.PUBLIC_DISCUSSION, S.APPROVED),
    S.PUBLIC_DISCUSSION: (S.DRAFT, S.APPROVED),
    S.APPROVED: (S.SUBMITTED, S.IN_FORCE),
    S.SUBMITTED: (S.AGREED, S.RETURNED),
    S.RETURNED: (S.APPROVED, S.DRAFT),
    S.AGREED: (S.IN_FORCE,),
    S.IN_FORCE: (S.UNDER_REVISION, S.EXPIRED),
    S.UNDER_REVISION: (S.SUBMITTED, S.IN_FORCE, S.EXPIRED),
    S.EXPIRED: (),
}

# From approval on, the text and the core fields change only through a revision (seed 000 §IV).
LOCKED_STATUSES = frozenset({S.APPROVED, S.SUBMITTED, S.AGREED, S.IN_FORCE, S.UNDER_REVISION, S.EXPIRED})

# Transitions that are made by a document: the head's order approves, NAZK's letter agrees.
NEEDS_DOCUMENT = frozenset({S.APPROVED, S.AGREED})
# A return and the end of a program need a reason a reader of the history can understand.
NEEDS_REASON = frozenset({S.RETURNED, S.EXPIRED, S.DRAFT})


def allowed_transitions(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def is_locked(status: str) -> bool:
    return status in LOCKED_STATUSES


def add_working_days(start: dt.date, days: int) -> dt.date:
    """`days` working days after `start`, using the Ukrainian calendar when core.workdays provides it."""
    try:
        from core import workdays
    except ImportError:  # the teammate's calendar module is not there yet: skip weekends only
        workdays = None
    if workdays is not None and hasattr(workdays, "add_working_days"):
        return workdays.add_working_days(start, days)
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


@dataclass(frozen=True)
class Deadline:
    """One deadline of a revision: when it falls, when it was met (if it was) and whether it is late."""

    due: dt.date | None
    done_on: dt.date | None
    today: dt.date

    @property
    def overdue(self) -> bool:
        if self.due is None:
            return False
        if self.done_on is not None:
            return self.done_on > self.due
        return self.today > self.due

    @property
    def met(self) -> bool:
        return self.done_on is not None and (self.due is None or self.done_on <= self.due)


@dataclass(frozen=True)
class RevisionDeadlines:
    head_decision: Deadline
    meeting: Deadline
    protocol: Deadline


def revision_deadlines(
    *,
    ground_arose_on: dt.date,
    decision_months: int,
    meeting_weeks: int,
    protocol_working_days: int,
    head_decision_on: dt.date | None,
    meeting_held_on: dt.date | None,
    protocol_signed_on: dt.date | None,
    today: dt.date,
) -> RevisionDeadlines:
    """Seed 000 §IV: the head decides within a month, the commission meets within three weeks of the ground, and
    the protocol is drawn up within one working day of the meeting (all three configurable per program)."""
    protocol_due = add_working_days(meeting_held_on, protocol_working_days) if meeting_held_on else None
    return RevisionDeadlines(
        head_decision=Deadline(ground_arose_on + relativedelta(months=decision_months), head_decision_on, today),
        meeting=Deadline(ground_arose_on + dt.timedelta(weeks=meeting_weeks), meeting_held_on, today),
        protocol=Deadline(protocol_due, protocol_signed_on, today),
    )


def has_quorum(*, present: int, members: int) -> bool:
    """More than half of the current members are present."""
    return members > 0 and present * 2 > members
