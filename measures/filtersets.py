import django_filters

from .models import Measure


class MeasureFilterSet(django_filters.FilterSet):
    program = django_filters.NumberFilter(field_name="task__section__program")
    section = django_filters.NumberFilter(field_name="task__section")
    unit = django_filters.NumberFilter(field_name="responsible_units", distinct=True)
    risk = django_filters.NumberFilter(field_name="risks", distinct=True)

    class Meta:
        model = Measure
        fields = ["program", "section", "task", "unit", "risk", "deadline_kind"]
