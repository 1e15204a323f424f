"""Reads for the anti-corruption officer; everything here is restricted to the officer role."""

from __future__ import annotations

from django.db.models import Count

from .models import InducementNotification, WhistleblowerReport


def officer_summary(*, user) -> dict:
    reports = WhistleblowerReport.objects.restrict(user)
    by_status = dict(reports.values_list("status").annotate(count=Count("pk")).order_by())
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "inducements": InducementNotification.objects.restrict(user).count(),
    }
