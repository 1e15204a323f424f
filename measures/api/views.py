from measures.filtersets import MeasureFilterSet
from measures.models import Measure
from programs.api.viewsets import ScopedReadOnlyViewSet

from .serializers import MeasureSerializer


class MeasureViewSet(ScopedReadOnlyViewSet):
    queryset = Measure.objects.select_related("task__section__program").prefetch_related("responsible_units", "risks")
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet
    ordering_fields = ["position", "number"]
