"""Named role rules of the reports app that are not row scoping (scoping is `core.access`): who keeps a period and
who evaluates it, who reports on a measure, who asks for a document, who opens the dashboard, who reads the
commission's review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.access import Action, allowed_in, user_scope
from core.roles import Role
from measures.models import Measure
from programs.models import Program
from reports.choices import PeriodState
from reports.documents.models import CONFIDENTIAL_KINDS, GeneratedReport
from reports.execution.models import ReportingPeriod


def may_keep_period(user, period: ReportingPeriod) -> bool:
    """The commission's secretary of the body itself keeps the period — sends it for review, reopens it, opens it
    early, reminds units, writes every entry; a superuser stands in. A parent body's secretary only reads."""
    return user.is_superuser or user_scope(user).has_role(Role.SECRETARY, period.program.organisation_id)


def require_keep_period(user, period: ReportingPeriod) -> None:
    """Refuse (403) anyone but the secretary who keeps the period (`may_keep_period`)."""
    if not may_keep_period(user, period):
        raise PermissionDenied(_("Only the commission secretary can do this."))


def may_evaluate_period(user, period: ReportingPeriod) -> bool:
    """The commission's members and its secretary, of the body itself, evaluate entries, write the conclusion and
    record the approval; a superuser stands in."""
    scope = user_scope(user)
    organisation_id = period.program.organisation_id
    return (
        user.is_superuser
        or scope.has_role(Role.COMMISSION, organisation_id)
        or scope.has_role(Role.SECRETARY, organisation_id)
    )


def may_report_on_measure(user, measure: Measure, period: ReportingPeriod) -> bool:
    """Secretaries report on every measure; unit reporters only on their units' measures."""
    if may_keep_period(user, period):
        return True
    scope = user_scope(user)
    if not scope.has_role(Role.REPORTER, period.program.organisation_id):
        return False
    return measure.responsible_units.filter(pk__in=scope.reporter_units).exists()


def may_remind_units(user, period: ReportingPeriod) -> bool:
    """The secretary who keeps the period reminds the units while it is open."""
    return may_keep_period(user, period) and period.state == PeriodState.OPEN


def may_request_program_reports(user, program: Program) -> bool:
    """The secretary keeps the program and the officer oversees it: both prepare its documents (execution report,
    the program, Form 1), on the page as over the API. Readers of a body above do not act for the body."""
    return allowed_in(user, Action.CHANGE, GeneratedReport, program.organisation_id)


def may_request_journals(user, organisation_id: int | None = None) -> bool:
    """The journals of whistleblower reports and inducement notifications name cases: only the officer of the body
    itself asks for them (of any body when `organisation_id` is None) — not a parent body's officer, not a
    superuser."""
    return user_scope(user).has_role(Role.OFFICER, organisation_id)


def may_request_report(user, kind: str, organisation_id: int) -> bool:
    """A journal by the body's own officer (`may_request_journals`); any other document by those who prepare the
    body's documents (`may_request_program_reports`)."""
    if kind in CONFIDENTIAL_KINDS:
        return may_request_journals(user, organisation_id)
    return allowed_in(user, Action.CHANGE, GeneratedReport, organisation_id)


# The dashboard draws a program's numbers across its units: for those who run or oversee the program. A unit reporter
# has the "My reports" page for their own measures and reads no program-wide numbers, on the page or over the API.
DASHBOARD_ROLES = frozenset({Role.MANAGER, Role.COMMISSION, Role.SECRETARY, Role.ADMIN, Role.OFFICER})


def may_open_dashboard(user) -> bool:
    """Those who run or oversee a program (`DASHBOARD_ROLES`) and superusers; never a unit reporter alone."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(user_scope(user).roles & DASHBOARD_ROLES)


# The start page lists programs for those who run them; a reporter has their measures there, an officer their cases.
HOME_PROGRAM_ROLES = frozenset({Role.SECRETARY, Role.COMMISSION, Role.MANAGER, Role.ADMIN})


def may_list_programs_on_home(user) -> bool:
    """The start page lists programs for those who run them (`HOME_PROGRAM_ROLES`) and superusers."""
    return user.is_superuser or bool(user_scope(user).roles & HOME_PROGRAM_ROLES)


# The commission's review is read by the commission, the secretary and managers, of the body or of a body above it.
REVIEW_READERS = (Role.COMMISSION, Role.SECRETARY, Role.MANAGER)


def may_read_review(user, period: ReportingPeriod) -> bool:
    """The commission, the secretary and managers (`REVIEW_READERS`), of the body or a body above it, and
    superusers."""
    if user.is_superuser:
        return True
    scope = user_scope(user)
    organisation_id = period.program.organisation_id
    return any(scope.has_role(role, organisation_id, descendants=True) for role in REVIEW_READERS)
