from programs.filtersets import OrganisationFilterSet, ProgramFilterSet, UnitFilterSet
from programs.models import Organisation, Program, Unit

from .serializers import OrganisationSerializer, ProgramSerializer, UnitSerializer
from .viewsets import ScopedReadOnlyViewSet


class OrganisationViewSet(ScopedReadOnlyViewSet):
    queryset = Organisation.objects.select_related("parent")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = ["name", "short_name"]


class UnitViewSet(ScopedReadOnlyViewSet):
    queryset = Unit.objects.select_related("organisation")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["abbreviation", "name"]


class ProgramViewSet(ScopedReadOnlyViewSet):
    queryset = Program.objects.select_related("organisation")
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilterSet
    ordering_fields = ["start_year", "title"]
