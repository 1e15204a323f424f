"""Whistleblower reports over the API: the officer's content only. `OFFICER_ONLY` makes every other role (even a
platform superuser) see an empty list and a 404; the anonymised numbers are the dashboard's endpoint."""

from programs.api.viewsets import ScopedReadOnlyViewSet
from whistleblowers.filtersets import ReportFilterSet
from whistleblowers.models import WhistleblowerReport

from .serializers import WhistleblowerReportSerializer


class WhistleblowerReportViewSet(ScopedReadOnlyViewSet):
    queryset = WhistleblowerReport.objects.select_related("organisation").order_by("-received_at", "-pk")
    serializer_class = WhistleblowerReportSerializer
    filterset_class = ReportFilterSet
    ordering_fields = ["received_at", "registration_number", "status"]
