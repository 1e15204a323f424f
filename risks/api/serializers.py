from rest_framework import serializers

from risks.models import Risk


class RiskSerializer(serializers.ModelSerializer):
    # Computed from the program's matrix by RiskQuerySet.with_levels(), never stored or typed.
    inherent_level = serializers.CharField(source="inherent_level_code", read_only=True, allow_null=True)
    residual_level = serializers.CharField(source="residual_level_code", read_only=True, allow_null=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "program",
            "number",
            "function",
            "process",
            "title",
            "description",
            "factors",
            "possible_consequences",
            "existing_controls",
            "owner_unit",
            "inherent_probability",
            "inherent_consequence",
            "residual_probability",
            "residual_consequence",
            "inherent_level",
            "residual_level",
        ]
