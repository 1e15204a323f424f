import django_filters

from .models import Risk


class RiskFilterSet(django_filters.FilterSet):
    class Meta:
        model = Risk
        fields = ["program", "function", "owner_unit"]
