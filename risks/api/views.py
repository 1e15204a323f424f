from programs.api.viewsets import ScopedReadOnlyViewSet
from risks.filtersets import RiskFilterSet
from risks.models import Risk

from .serializers import RiskSerializer


class RiskViewSet(ScopedReadOnlyViewSet):
    queryset = Risk.objects.with_levels().select_related("program")
    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    ordering_fields = ["number"]
