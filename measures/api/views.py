from django.db.models import Prefetch

from measures.filtersets import MeasureFilterSet
from measures.models import Measure
from measures.services import measure_delete
from programs.api.pagination import KeysFirstPagination
from programs.api.viewsets import (
    ScopedWriteViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    ServiceUpdateMixin,
    write_schema,
)
from programs.models import Unit
from risks.models import Risk

from .serializers import MeasureCreateSerializer, MeasureSerializer, MeasureUpdateSerializer

# A measure's units and risks print as ids, in their models' order: reading them that way spares building a page's
# hundred units and risks with all their texts.
IDS_ONLY = (
    Prefetch("responsible_units", queryset=Unit.objects.only("pk")),
    Prefetch("risks", queryset=Risk.objects.only("pk")),
)


@write_schema(MeasureSerializer, create=MeasureCreateSerializer, update=MeasureUpdateSerializer, destroy=True)
class MeasureViewSet(ServiceCreateMixin, ServiceUpdateMixin, ServiceDestroyMixin, ScopedWriteViewSet):
    queryset = Measure.objects.select_related("task__section__program").prefetch_related("responsible_units", "risks")
    serializer_class = MeasureSerializer
    create_serializer_class = MeasureCreateSerializer
    update_serializer_class = MeasureUpdateSerializer
    filterset_class = MeasureFilterSet
    ordering_fields = ["position", "number"]
    # A page of a program's thousands of measures is found on the numbers it is sorted by, then read whole.
    pagination_class = KeysFirstPagination

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("list", "retrieve"):
            return queryset.prefetch_related(None).prefetch_related(*IDS_ONLY)
        return queryset

    def perform_destroy(self, instance: Measure) -> None:
        measure_delete(measure=instance, user=self.request.user)
