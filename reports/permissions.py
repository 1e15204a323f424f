"""Named role rules of the reporting pages that are not scoping (scoping is `programs.access`)."""

from __future__ import annotations

from programs.access import user_scope
from programs.choices import Role

from .models import ReportingPeriod

# The commission's review is read by the commission, the secretary and managers, of the body or of a body above it.
REVIEW_READERS = (Role.COMMISSION, Role.SECRETARY, Role.MANAGER)


def can_read_review(user, period: ReportingPeriod) -> bool:
    if user.is_superuser:
        return True
    scope = user_scope(user)
    organisation_id = period.program.organisation_id
    return any(scope.has_role(role, organisation_id, descendants=True) for role in REVIEW_READERS)
