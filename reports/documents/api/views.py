"""Report documents over the API: request one, follow its status, download the file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response

from core.access import Action
from core.api.errors import refusal_detail
from core.api.viewsets import ScopedPermission
from programs.models import Organisation, Program
from reports.choices import ReportFormat, ReportKind, ReportStatus
from reports.documents.filenames import file_name_of
from reports.documents.filtersets import GeneratedReportFilterSet
from reports.documents.models import CONFIDENTIAL_KINDS, GeneratedReport
from reports.documents.services import CONTENT_TYPES, report_downloaded, report_request
from reports.execution.models import ReportingPeriod


class ReportWithdrawn(APIException):
    """The file was deleted when a case it quoted was erased; requesting the report again renders it anew."""

    status_code = status.HTTP_410_GONE
    default_code = "withdrawn"
    default_detail = _(
        "This report was withdrawn after a whistleblower report it quoted was erased at the end of its retention "
        "period. Request it again."
    )


class GeneratedReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "organisation",
            "program",
            "period",
            "year",
            "kind",
            "format",
            "language",
            "status",
            "error",
            "sha256",
            "size",
            "requested_at",
            "started_at",
            "finished_at",
            "is_public",
            "published_at",
        ]
        read_only_fields = fields


class ReportRequestSerializer(serializers.Serializer):
    """What to render. Programs, periods and organisations outside the user's scope are "not found"."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    format = serializers.ChoiceField(choices=ReportFormat.choices, default=ReportFormat.PDF)
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.none(), required=False, allow_null=True)
    period = serializers.PrimaryKeyRelatedField(
        queryset=ReportingPeriod.objects.none(), required=False, allow_null=True
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), required=False, allow_null=True
    )
    year = serializers.IntegerField(required=False, allow_null=True, min_value=2000, max_value=2100)
    language = serializers.ChoiceField(choices=["uk", "ru", "en"], default="uk")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the OpenAPI schema generator builds the serializer without a request
            return
        user = request.user
        self.fields["program"].queryset = Program.objects.restrict(user)
        self.fields["period"].queryset = ReportingPeriod.objects.restrict(user)
        self.fields["organisation"].queryset = Organisation.objects.restrict(user)


class GeneratedReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = GeneratedReport.objects.select_related("organisation", "program", "period")
    serializer_class = GeneratedReportSerializer
    permission_classes = [ScopedPermission]
    # The page's FilterSet: a body, program or period the user cannot see is refused as unknown, not answered empty.
    filterset_class = GeneratedReportFilterSet
    ordering_fields = ["requested_at"]

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, Action.VIEW).order_by("-requested_at")

    @extend_schema(request=ReportRequestSerializer, responses={202: GeneratedReportSerializer})
    def create(self, request, *args, **kwargs):
        """Request a report; the worker renders it. Identical inputs return the existing report."""
        payload = ReportRequestSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            report = report_request(
                user=request.user,
                kind=data["kind"],
                program=data.get("program"),
                period=data.get("period"),
                organisation=data.get("organisation"),
                year=data.get("year"),
                file_format=data["format"],
                language=data["language"],
            )
        except ValidationError as error:
            raise APIValidationError(refusal_detail(error)) from error
        return Response(GeneratedReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="The rendered file")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        if report.status == ReportStatus.WITHDRAWN:
            raise ReportWithdrawn
        if report.status != ReportStatus.READY:
            raise Http404
        report_downloaded(report=report, request=request)
        filename = file_name_of(report)
        response = FileResponse(
            report.file.open("rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[report.format]
        )
        if report.kind in CONFIDENTIAL_KINDS:
            add_never_cache_headers(response)  # a journal: no cache may keep a copy
        return response
