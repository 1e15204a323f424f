"""One FilterSet for the risk register: the HTML list, the heat map links and the API all filter the same way.

Levels are computed from the matrix, never stored, so the level filters work on the annotations of
`RiskQuerySet.with_levels()`; every queryset given to this FilterSet must carry them.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.filtersets import requested_programs
from programs.models import Unit
from risks.models import Risk, RiskLevel


def level_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for level in RiskLevel.objects.order_by("rank"):
        seen.setdefault(level.code, level.name)
    return list(seen.items())


def visible_units(request):
    if request is None:
        return Unit.objects.none()
    return Unit.objects.restrict(request.user)


class RiskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    process = django_filters.CharFilter(lookup_expr="icontains", label=_("Process"))
    owner_unit = django_filters.ModelChoiceFilter(queryset=visible_units, label=_("Risk owner"))
    inherent_level = django_filters.ChoiceFilter(
        field_name="inherent_level_code", choices=level_choices, label=_("Inherent level")
    )
    residual_level = django_filters.ChoiceFilter(
        field_name="residual_level_code", choices=level_choices, label=_("Residual level")
    )
    coverage = django_filters.ChoiceFilter(
        method="filter_coverage",
        choices=[("with", _("Treated by measures")), ("without", _("Not treated by any measure"))],
        label=_("Measures"),
    )
    # Heat-map cells link to the list with these scores.
    inherent_probability = django_filters.NumberFilter(field_name="inherent_probability__score")
    inherent_consequence = django_filters.NumberFilter(field_name="inherent_consequence__score")
    residual_probability = django_filters.NumberFilter(field_name="residual_probability__score")
    residual_consequence = django_filters.NumberFilter(field_name="residual_consequence__score")

    class Meta:
        model = Risk
        fields = ["program", "function"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, program=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        programs = requested_programs(self.data, request, program)
        if programs is not None:
            # One program's register: its owners are units of the program's organisation.
            units = visible_units(request).filter(organisation__in=programs.values("organisation"))
            self.filters["owner_unit"].queryset = units.order_by("abbreviation")

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(factors__icontains=word)
                | Q(process__icontains=word)
                | Q(possible_consequences__icontains=word)
            )
        return queryset

    def filter_coverage(self, queryset, name, value):
        # A subquery rather than a join, so a risk treated by many measures is still listed once.
        treated = Risk.measures.through.objects.values("risk_id")
        if value == "with":
            return queryset.filter(pk__in=treated)
        if value == "without":
            return queryset.exclude(pk__in=treated)
        return queryset
