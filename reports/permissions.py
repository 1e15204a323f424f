"""Named role rules of the reports app that are not row scoping (scoping is `core.access`): who may ask for a
document, who opens the dashboard, who reads the commission's review."""

from __future__ import annotations

from core.access import Action, allowed_in, user_scope
from core.roles import Role
from programs.models import Program
from reports.documents.models import GeneratedReport
from reports.execution.models import ReportingPeriod


def may_request_program_reports(user, program: Program) -> bool:
    """The secretary keeps the program and the officer oversees it: both prepare its documents (execution report,
    the program, Form 1), on the page as over the API. Readers of a body above do not act for the body."""
    return allowed_in(user, Action.CHANGE, GeneratedReport, program.organisation_id)


# The dashboard draws a program's numbers across its units: for those who run or oversee the program. A unit reporter
# has the "My reports" page for their own measures and reads no program-wide numbers, on the page or over the API.
DASHBOARD_ROLES = frozenset({Role.MANAGER, Role.COMMISSION, Role.SECRETARY, Role.ADMIN, Role.OFFICER})


def may_open_dashboard(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(user_scope(user).roles & DASHBOARD_ROLES)


# The commission's review is read by the commission, the secretary and managers, of the body or of a body above it.
REVIEW_READERS = (Role.COMMISSION, Role.SECRETARY, Role.MANAGER)


def can_read_review(user, period: ReportingPeriod) -> bool:
    if user.is_superuser:
        return True
    scope = user_scope(user)
    organisation_id = period.program.organisation_id
    return any(scope.has_role(role, organisation_id, descendants=True) for role in REVIEW_READERS)
