from core.api.viewsets import (
    ScopedWriteViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    ServiceUpdateMixin,
    write_schema,
)
from risks.api.serializers import RiskCreateSerializer, RiskSerializer, RiskUpdateSerializer
from risks.filtersets import RiskFilterSet
from risks.models import Risk
from risks.services import risk_delete


@write_schema(RiskSerializer, create=RiskCreateSerializer, update=RiskUpdateSerializer, destroy=True)
class RiskViewSet(ServiceCreateMixin, ServiceUpdateMixin, ServiceDestroyMixin, ScopedWriteViewSet):
    queryset = Risk.objects.with_levels().select_related("program")
    serializer_class = RiskSerializer
    create_serializer_class = RiskCreateSerializer
    update_serializer_class = RiskUpdateSerializer
    filterset_class = RiskFilterSet
    ordering_fields = ["number"]

    def perform_destroy(self, instance: Risk) -> None:
        risk_delete(risk=instance, user=self.request.user)
