from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyField
from core.api.writing import ServiceModelSerializer, VersionedMixin
from programs.models import Program, Unit
from risks.forms import risk_input_problems
from risks.models import Risk
from risks.services import RISK_EDITABLE, risk_create, risk_update


class RiskSerializer(ServiceModelSerializer):
    # Computed from the program's matrix by RiskQuerySet.with_levels(), never stored or typed.
    inherent_level = serializers.CharField(source="inherent_level_code", read_only=True, allow_null=True)
    residual_level = serializers.CharField(source="residual_level_code", read_only=True, allow_null=True)
    owner_unit = ScopedPrimaryKeyField(
        Unit, required=False, allow_null=True, help_text=_("A unit of the program's organisation.")
    )

    class Meta(ServiceModelSerializer.Meta):
        model = Risk
        fields = [
            "id",
            "program",
            *RISK_EDITABLE,
            "inherent_level",
            "residual_level",
            "version",
        ]
        read_only_fields = ["program", "version"]
        extra_kwargs = {
            "number": {"required": False, "allow_null": True, "min_value": 1},
            "inherent_probability": {"help_text": _("A probability level of the program's risk matrix.")},
            "inherent_consequence": {"help_text": _("A consequence level of the program's risk matrix.")},
        }

    def program_of(self, data) -> Program:
        return self.instance.program if self.instance is not None else data["program"]

    def input_problems(self, data):
        return risk_input_problems(data, program=self.program_of(data), risk_pk=getattr(self.instance, "pk", None))


class RiskCreateSerializer(RiskSerializer):
    target_field = "program"
    program = ScopedPrimaryKeyField(Program, help_text=_("The program whose register the risk joins."))

    def create(self, validated_data):
        return risk_create(program=validated_data["program"], user=self.user, data=validated_data)


class RiskUpdateSerializer(VersionedMixin, RiskSerializer):
    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        return risk_update(risk=instance, user=self.user, data=data, expected_version=version)
