"""Dashboard endpoints under /api/v1/dashboard/: the numbers the dashboard page draws, for other systems too.

Parameters are validated by serializers whose querysets come through `restrict`: an unknown id, a wrong type or
another organisation's object is a 400 with the field named, never a 500 and never someone else's numbers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import ScopedPrimaryKeyField
from core.periods import PeriodKind
from programs.models import Organisation, Program, Unit
from reports.dashboard import selectors as dashboard
from reports.execution.models import ReportingPeriod
from reports.permissions import may_open_dashboard

PERIOD_NUMBERS = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.YEAR: 1}


class ProgramParams(serializers.Serializer):
    program = ScopedPrimaryKeyField(Program, help_text=_("The program."))


class SummaryParams(ProgramParams):
    period = ScopedPrimaryKeyField(
        ReportingPeriod, required=False, help_text=_("A period of the program; the latest begun quarter if omitted.")
    )
    unit = ScopedPrimaryKeyField(Unit, required=False, help_text=_("Only the measures of this unit."))

    def validate(self, attrs):
        program = attrs["program"]
        period = attrs.get("period")
        if period is not None and period.program_id != program.pk:
            raise serializers.ValidationError({"period": [_("This period belongs to another program.")]})
        unit = attrs.get("unit")
        if unit is not None and unit.organisation_id != program.organisation_id:
            raise serializers.ValidationError({"unit": [_("This unit belongs to another organisation.")]})
        return attrs


class TrendParams(SummaryParams):
    kind = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period = None


class ComparisonParams(serializers.Serializer):
    organisation = ScopedPrimaryKeyField(Organisation, help_text=_("The parent organisation."))
    kind = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(min_value=1, max_value=4, default=1)
    page = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, default=1, help_text=_("A page of the bodies; past the last, the last.")
    )

    def validate(self, attrs):
        if attrs["number"] > PERIOD_NUMBERS[attrs["kind"]]:
            raise serializers.ValidationError({"number": [_("There is no such period in a year.")]})
        return attrs


class WhistleblowerParams(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)

    def validate_organisation(self, value):
        allowed = dashboard.whistleblower_organisations(user=self.context["request"].user)
        if value not in allowed:
            raise serializers.ValidationError(
                _("You do not see whistleblower numbers of this organisation."), code="does_not_exist"
            )
        return Organisation.objects.get(pk=value)


class DashboardReader(permissions.BasePermission):
    """The same rule as the dashboard page (`may_open_dashboard`): a unit reporter gets no program-wide numbers."""

    message = _("The dashboard is for managers, the commission, the secretary and the officer.")

    def has_permission(self, request, view) -> bool:
        return may_open_dashboard(request.user)


class DashboardView(APIView):
    permission_classes = [permissions.IsAuthenticated, DashboardReader]
    params_class: type[serializers.Serializer]

    def params(self, request) -> dict:
        params = self.params_class(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        return params.validated_data


DEFAULT_RESPONSES = {
    200: OpenApiTypes.OBJECT,
    400: OpenApiResponse(description="Invalid parameters, with the field named"),
    403: OpenApiResponse(description="Not signed in, or no role that sees these numbers (a unit reporter)"),
}


class SummaryView(DashboardView):
    """Where a program stands in a period: by status, unit, section and risk level, overdue and lagging units."""

    params_class = SummaryParams

    @extend_schema(parameters=[SummaryParams], responses=DEFAULT_RESPONSES)
    def get(self, request):
        params = self.params(request)
        program = params["program"]
        period = params.get("period") or dashboard.default_period(
            list(dashboard.dashboard_periods(user=request.user, program=program))
        )
        if period is None:
            raise serializers.ValidationError({"period": [_("The program has no reporting periods yet.")]})
        return Response(
            dashboard.program_summary(user=request.user, program=program, period=period, unit=params.get("unit"))
        )


class TrendView(DashboardView):
    """Status counts and the share done across the periods of one kind."""

    params_class = TrendParams

    @extend_schema(parameters=[TrendParams], responses=DEFAULT_RESPONSES)
    def get(self, request):
        params = self.params(request)
        return Response(
            dashboard.program_trend(
                user=request.user, program=params["program"], kind=params["kind"], unit=params.get("unit")
            )
        )


class HeatmapView(DashboardView):
    """Risks per cell of the program's matrix, inherent and residual."""

    params_class = ProgramParams

    @extend_schema(parameters=[ProgramParams], responses=DEFAULT_RESPONSES)
    def get(self, request):
        return Response(dashboard.risk_heatmap(user=request.user, program=self.params(request)["program"]))


class ComparisonView(DashboardView):
    """An organisation and the bodies below it side by side for the same period, a page of them at a time
    (`count` bodies in `pages` pages)."""

    params_class = ComparisonParams

    @extend_schema(parameters=[ComparisonParams], responses=DEFAULT_RESPONSES)
    def get(self, request):
        params = self.params(request)
        return Response(
            dashboard.comparison_page(
                user=request.user,
                organisation=params["organisation"],
                kind=params["kind"],
                year=params["year"],
                number=params["number"],
                page=params["page"],
            )
        )


class WhistleblowerStatisticsView(DashboardView):
    """Anonymised whistleblower numbers for managers, secretaries and the officer; no report content."""

    params_class = WhistleblowerParams
    permission_classes = [permissions.IsAuthenticated]  # its own rule below: the roles that see these numbers

    @extend_schema(parameters=[WhistleblowerParams], responses=DEFAULT_RESPONSES)
    def get(self, request):
        if not dashboard.whistleblower_organisations(user=request.user):
            raise PermissionDenied(_("Whistleblower numbers are for managers, secretaries and the officer."))
        params = self.params(request)
        return Response(
            dashboard.whistleblower_statistics(
                user=request.user, organisation=params.get("organisation"), year=params.get("year")
            )
        )
