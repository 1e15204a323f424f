from rest_framework import serializers

from risks.models import Risk


class RiskSerializer(serializers.ModelSerializer):
    inherent_level = serializers.SlugRelatedField(slug_field="code", read_only=True)
    residual_level = serializers.SlugRelatedField(slug_field="code", read_only=True)

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
