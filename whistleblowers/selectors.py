"""Reads for the anti-corruption officer; everything here is restricted to the officer role."""

from __future__ import annotations

from django.db.models import Count

from .choices import CaseStatus
from .models import InducementNotification, WhistleblowerReport


def officer_summary(*, user) -> dict:
    reports = WhistleblowerReport.objects.restrict(user)
    counts = dict(reports.values_list("status").annotate(count=Count("pk")).order_by())
    return {
        "total": sum(counts.values()),
        "by_status": [(status.label, counts[status.value]) for status in CaseStatus if status.value in counts],
        "inducements": InducementNotification.objects.restrict(user).count(),
    }
