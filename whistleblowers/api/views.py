"""Whistleblower reports over the API: the officer's content only. `OFFICER_ONLY` makes every other role (even a
platform superuser) see an empty list and a 404; the anonymised numbers are the dashboard's endpoint. The one write
is the retention hold (PATCH `retention_hold` with the `version` read)."""

from django.utils.cache import add_never_cache_headers
from rest_framework.response import Response

from core.api.viewsets import ScopedWriteViewSet, ServiceUpdateMixin, write_schema
from whistleblowers.api.serializers import RetentionHoldSerializer, WhistleblowerReportSerializer
from whistleblowers.filtersets import ReportFilterSet
from whistleblowers.selectors import JournalRow, journal_rows, report_queryset


@write_schema(WhistleblowerReportSerializer, update=RetentionHoldSerializer)
class WhistleblowerReportViewSet(ServiceUpdateMixin, ScopedWriteViewSet):
    """The officer's journal with each report's legal deadlines, the same rows as the officer's page."""

    serializer_class = WhistleblowerReportSerializer
    update_serializer_class = RetentionHoldSerializer
    filterset_class = ReportFilterSet
    ordering_fields = ["received_at", "registration_number", "status"]

    def get_queryset(self):
        # The officer page's selector (`restrict` is applied there), with what the deadlines are computed from.
        return report_queryset(user=self.request.user).select_related("erasure").prefetch_related("forwardings")

    def _rows_response(self, rows: list[JournalRow], *, many: bool) -> Response:
        context = {**self.get_serializer_context(), "deadlines": {row.report.pk: row.deadlines for row in rows}}
        reports = [row.report for row in rows]
        return Response(self.serializer_class(reports if many else reports[0], many=many, context=context).data)

    def list(self, request, *args, **kwargs):
        filterset = ReportFilterSet(request.query_params, queryset=self.get_queryset())
        rows = journal_rows(self.filter_queryset(self.get_queryset()))
        # "Overdue" needs the working-day calendar, so, as on the page, it filters the rows the database found.
        if filterset.overdue_only:
            rows = [row for row in rows if row.overdue]
        page = self.paginate_queryset(rows)
        response = self._rows_response(page, many=True)
        return self.get_paginated_response(response.data)

    def finalize_response(self, request, response, *args, **kwargs):
        # Case content: no browser or proxy cache may keep a copy (404s and errors included).
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._rows_response(journal_rows([self.get_object()]), many=False)

    def read_back(self, obj) -> dict:
        return self._rows_response(journal_rows([self.get_queryset().get(pk=obj.pk)]), many=False).data
