import django_filters

from .models import Organisation, Program, Unit


class OrganisationFilterSet(django_filters.FilterSet):
    class Meta:
        model = Organisation
        fields = ["kind", "country", "parent"]


class UnitFilterSet(django_filters.FilterSet):
    class Meta:
        model = Unit
        fields = ["organisation", "is_active"]


class ProgramFilterSet(django_filters.FilterSet):
    class Meta:
        model = Program
        fields = ["organisation", "status", "start_year", "end_year"]
