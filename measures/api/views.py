from measures.filtersets import MeasureFilterSet
from measures.models import Measure
from programs.api.viewsets import ScopedWriteViewSet, ServiceCreateMixin, ServiceUpdateMixin, write_schema

from .serializers import MeasureCreateSerializer, MeasureSerializer, MeasureUpdateSerializer


@write_schema(MeasureSerializer, create=MeasureCreateSerializer, update=MeasureUpdateSerializer)
class MeasureViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = Measure.objects.select_related("task__section__program").prefetch_related("responsible_units", "risks")
    serializer_class = MeasureSerializer
    create_serializer_class = MeasureCreateSerializer
    update_serializer_class = MeasureUpdateSerializer
    filterset_class = MeasureFilterSet
    ordering_fields = ["position", "number"]
