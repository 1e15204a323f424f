from programs.api.viewsets import ScopedWriteViewSet, ServiceCreateMixin, ServiceUpdateMixin, write_schema
from risks.filtersets import RiskFilterSet
from risks.models import Risk

from .serializers import RiskCreateSerializer, RiskSerializer, RiskUpdateSerializer


@write_schema(RiskSerializer, create=RiskCreateSerializer, update=RiskUpdateSerializer)
class RiskViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = Risk.objects.with_levels().select_related("program")
    serializer_class = RiskSerializer
    create_serializer_class = RiskCreateSerializer
    update_serializer_class = RiskUpdateSerializer
    filterset_class = RiskFilterSet
    ordering_fields = ["number"]
