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

from .serializers import MeasureCreateSerializer, MeasureSerializer, MeasureUpdateSerializer


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

    def perform_destroy(self, instance: Measure) -> None:
        measure_delete(measure=instance, user=self.request.user)
