from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import call_service
from core.api.viewsets import REFUSALS, ScopedWriteViewSet, ServiceCreateMixin, ServiceUpdateMixin, write_schema
from programs.api.serializers import (
    OrganisationSerializer,
    ProgramCreateSerializer,
    ProgramSerializer,
    ProgramTransitionSerializer,
    ProgramUpdateSerializer,
    UnitCreateSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
)
from programs.filtersets import OrganisationFilterSet, ProgramFilterSet, UnitFilterSet
from programs.models import Organisation, Program, Unit
from programs.services import program_transition


@write_schema(OrganisationSerializer, update=OrganisationSerializer)
class OrganisationViewSet(ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = Organisation.objects.select_related("parent")
    serializer_class = OrganisationSerializer
    update_serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = ["name", "short_name"]
    http_method_names = ["get", "put", "patch", "head", "options"]


@write_schema(UnitSerializer, create=UnitCreateSerializer, update=UnitUpdateSerializer)
class UnitViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = Unit.objects.select_related("organisation")
    serializer_class = UnitSerializer
    create_serializer_class = UnitCreateSerializer
    update_serializer_class = UnitUpdateSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["abbreviation", "name"]


@write_schema(ProgramSerializer, create=ProgramCreateSerializer, update=ProgramUpdateSerializer)
class ProgramViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = Program.objects.select_related("organisation")
    serializer_class = ProgramSerializer
    create_serializer_class = ProgramCreateSerializer
    update_serializer_class = ProgramUpdateSerializer
    filterset_class = ProgramFilterSet
    ordering_fields = ["start_year", "title"]

    @extend_schema(request=ProgramTransitionSerializer, responses={200: ProgramSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the program along its lifecycle, as the status page does (who, when, why, by which document)."""
        program = self.get_object()
        payload = ProgramTransitionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        call_service(lambda: program_transition(program=program, user=request.user, **payload.validated_data))
        return Response(self.read_back(program))
