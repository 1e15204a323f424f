from rest_framework import serializers

from whistleblowers.models import WhistleblowerReport


class WhistleblowerReportSerializer(serializers.ModelSerializer):
    """A journal row for the officer; the whistleblower's identity is never part of it (it is read, and logged, on
    the officer's page only)."""

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
        ]
        read_only_fields = fields
