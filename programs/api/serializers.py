from rest_framework import serializers

from programs.models import Organisation, Program, Unit


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "country", "parent", "code", "website"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "organisation", "name", "abbreviation", "parent", "head_name", "is_active"]


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = [
            "id",
            "organisation",
            "title",
            "start_year",
            "end_year",
            "status",
            "risk_matrix",
            "approval_order_number",
            "approval_order_date",
            "nazk_agreement_number",
            "nazk_agreement_date",
            "published_url",
        ]
