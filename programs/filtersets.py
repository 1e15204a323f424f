import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import Action
from programs.choices import ProgramStatus
from programs.models import Organisation, Program, Unit


def visible_organisations(request):
    """Only organisations the user may see are offered (and accepted) as a filter value."""
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.restrict(request.user, Action.VIEW).order_by("name")


class OrganisationFilterSet(django_filters.FilterSet):
    class Meta:
        model = Organisation
        fields = ["kind", "country", "parent"]


class UnitFilterSet(django_filters.FilterSet):
    class Meta:
        model = Unit
        fields = ["organisation", "is_active"]


class ProgramFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    organisation = django_filters.ModelChoiceFilter(label=_("Organisation"), queryset=visible_organisations)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProgramStatus.choices)

    class Meta:
        model = Program
        fields = ["q", "organisation", "status", "start_year", "end_year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )
