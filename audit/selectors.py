"""Reads of the audit trail: who sees which events, in what order."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from audit.models import AuditEvent
from core.access import organisation_model, user_scope
from core.roles import Role


def may_read_audit(user) -> bool:
    """Site staff read the whole trail; an organisation's administrators read theirs."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or Role.ADMIN in user_scope(user).roles)
    )


def audit_event_list(*, user) -> QuerySet[AuditEvent]:
    """The events the user may read, newest first: site staff all of them; an administrator those of the
    organisations they administer (and the bodies below), plus the sign-ins and other events with no organisation of
    the people who work there."""
    events = AuditEvent.objects.select_related("organisation").order_by("-sequence")
    if not may_read_audit(user):
        return events.none()
    if user.is_staff or user.is_superuser:
        return events
    organisations = user_scope(user).organisations([Role.ADMIN])
    # The people who hold a role there, through the organisation's memberships: the membership model lives above.
    people = organisation_model().objects.filter(pk__in=organisations).values("memberships__user")
    return events.filter(Q(organisation__in=organisations) | Q(organisation__isnull=True, actor_id__in=people))
