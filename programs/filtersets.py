import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import Action
from programs.choices import ProgramStatus
from programs.models import Organisation, Program, Unit


def requested_programs(data, request, program: Program | None = None) -> QuerySet[Program] | None:
    """The program a FilterSet's other choices belong to (its units, sections, risks …), as a query of it alone: the
    one the page passes, else the one the data names (`?program=` in the API) if the user may see it, else None. The
    page and the API thus offer the same choices; the query runs only when the choices are read."""
    if program is not None:
        return Program.objects.filter(pk=program.pk)
    value = str((data or {}).get("program") or "")
    if request is None or not value.isdigit():
        return None
    return Program.objects.restrict(request.user, Action.VIEW).filter(pk=value)


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
