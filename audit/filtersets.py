"""One filter of the audit trail, shared by the administrators' page and its CSV download."""

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import AuditAction
from audit.models import AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditAction.choices)
    actor = django_filters.CharFilter(label=_("Username"), field_name="actor_username", lookup_expr="icontains")
    since = django_filters.DateFilter(
        label=_("First day"), method="filter_since", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("Last day"), method="filter_until", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "since", "until"]

    # Days are the portal's local days, both ends included.
    def filter_since(self, queryset, name, value: dt.date):
        return queryset.filter(occurred_at__gte=timezone.make_aware(dt.datetime.combine(value, dt.time.min)))

    def filter_until(self, queryset, name, value: dt.date):
        end = dt.datetime.combine(value + dt.timedelta(days=1), dt.time.min)
        return queryset.filter(occurred_at__lt=timezone.make_aware(end))

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        if valid and data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.form.add_error("until", _("The end of the period is before its start."))
            return False
        return valid
