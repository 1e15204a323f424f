from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from whistleblowers.models import WhistleblowerReport


class CaseDeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField()
    done = serializers.BooleanField()
    overdue = serializers.BooleanField()


class WhistleblowerReportSerializer(serializers.ModelSerializer):
    """A journal row for the officer; the whistleblower's identity is never part of it (it is read, and logged, on
    the officer's page only). The legal deadlines come from the view's context, computed as on the officer's page."""

    deadlines = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = WhistleblowerReport
        fields = [
            "id",
            "organisation",
            "registration_number",
            "received_at",
            "channel",
            "basis_of_knowledge",
            "is_anonymous",
            "summary",
            "accused_unit",
            "concerns_head",
            "status",
            "status_changed_on",
            "verification_started_on",
            "verification_extended",
            "closed_on",
            "reporter_informed_on",
            "deadlines",
            "overdue",
        ]
        read_only_fields = fields

    def _deadlines(self, report: WhistleblowerReport) -> list:
        return self.context["deadlines"][report.pk]

    @extend_schema_field(CaseDeadlineSerializer(many=True))
    def get_deadlines(self, report: WhistleblowerReport) -> list[dict]:
        return CaseDeadlineSerializer(self._deadlines(report), many=True).data

    def get_overdue(self, report: WhistleblowerReport) -> bool:
        return any(deadline.overdue for deadline in self._deadlines(report))
