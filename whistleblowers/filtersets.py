import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from whistleblowers.choices import CaseStatus, Channel
from whistleblowers.models import InducementNotification, WhistleblowerReport


class YearFilter(django_filters.NumberFilter):
    """A whole year the calendar knows: year 0 or 10000 would make the database lookup fail, not find nothing."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class ReportFilterSet(django_filters.FilterSet):
    """Shared by the journal page and its export. "Overdue" needs the working-day calendar, so it is applied to the
    rows after the database filters (see `overdue_only`)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    year = YearFilter(label=_("Year received"), field_name="received_at", lookup_expr="year")
    registered = django_filters.ChoiceFilter(
        label=_("Registration"),
        choices=[("yes", _("Registered")), ("no", _("Awaiting registration"))],
        method="filter_registered",
    )
    overdue = django_filters.BooleanFilter(
        label=_("Only with overdue deadlines"),
        method="filter_nothing",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = WhistleblowerReport
        fields = ["status", "channel", "year", "registered", "overdue"]

    def filter_registered(self, queryset, name, value):
        empty = Q(registration_number="")
        return queryset.filter(empty) if value == "no" else queryset.exclude(empty)

    def filter_nothing(self, queryset, name, value):
        return queryset

    @property
    def overdue_only(self) -> bool:
        return bool(self.is_valid() and self.form.cleaned_data.get("overdue"))


class InducementFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = InducementNotification
        fields = ["year"]
