from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.writing import ServiceModelSerializer, VersionedMixin
from whistleblowers.models import CaseErasure, WhistleblowerReport
from whistleblowers.services import report_set_retention_hold


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
    erased_on = serializers.SerializerMethodField(
        help_text=_("The day the case's content was erased under the retention rule; null while it is kept.")
    )

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
            "retention_hold",
            "erased_on",
            "version",
        ]
        read_only_fields = fields

    def _deadlines(self, report: WhistleblowerReport) -> list:
        return self.context["deadlines"][report.pk]

    @extend_schema_field(CaseDeadlineSerializer(many=True))
    def get_deadlines(self, report: WhistleblowerReport) -> list[dict]:
        return CaseDeadlineSerializer(self._deadlines(report), many=True).data

    def get_overdue(self, report: WhistleblowerReport) -> bool:
        return any(deadline.overdue for deadline in self._deadlines(report))

    def get_erased_on(self, report: WhistleblowerReport) -> date | None:
        try:
            erasure = report.erasure
        except CaseErasure.DoesNotExist:
            return None
        return timezone.localdate(erasure.erased_at)


class RetentionHoldSerializer(VersionedMixin, ServiceModelSerializer):
    """The only change the API makes to a case: keep it beyond its retention period while proceedings need it, or
    lift the hold with an empty text; the same service, rules and messages as the case page."""

    class Meta(ServiceModelSerializer.Meta):
        model = WhistleblowerReport
        fields = ["retention_hold", "version"]
        extra_kwargs = {
            "retention_hold": {
                "help_text": _(
                    "The proceedings that still need the case (e.g. a criminal proceeding and its number); an empty "
                    "text lifts the hold, and the case is erased when its retention period ends."
                )
            }
        }

    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        return report_set_retention_hold(
            report=instance,
            retention_hold=data.get("retention_hold", instance.retention_hold),
            expected_version=version,
        )
