from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyField
from core.api.reading import ReadPlanMixin
from core.api.writing import ServiceModelSerializer, VersionedMixin
from measures.forms import measure_input_problems
from measures.models import Measure, MeasureSection, Task
from measures.services import MEASURE_EDITABLE, measure_create, measure_update
from programs.models import Program, Unit
from risks.models import Risk

NEW_TASK_FIELDS = ("new_task_section", "new_task_title")


class MeasureSerializer(ReadPlanMixin, ServiceModelSerializer):
    deadline_phrase = serializers.SerializerMethodField()
    task = ScopedPrimaryKeyField(
        Task, required=False, allow_null=True, help_text=_("A task of the program; or name a new task instead.")
    )
    responsible_units = ScopedPrimaryKeyField(
        Unit, many=True, help_text=_("At least one unit of the program's organisation.")
    )
    risks = ScopedPrimaryKeyField(Risk, many=True, required=False, help_text=_("Risks of the program's register."))
    new_task_section = ScopedPrimaryKeyField(
        MeasureSection,
        required=False,
        allow_null=True,
        write_only=True,
        help_text=_("To file the measure under a new task: the section of the program it opens in."),
    )
    new_task_title = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=1000, help_text=_("The title of the new task.")
    )

    class Meta(ServiceModelSerializer.Meta):
        model = Measure
        fields = [
            "id",
            *MEASURE_EDITABLE,
            "deadline_phrase",
            "version",
            *NEW_TASK_FIELDS,
        ]
        read_only_fields = ["version"]
        # Attached to a page's measures by `attach_related_ids` (measures.api.views).
        read_ids = {"responsible_units": "responsible_unit_ids", "risks": "risk_ids"}
        extra_kwargs = {
            "deadline_year": {"min_value": 2000, "max_value": 2100},
            "deadline_part": {"min_value": 1, "max_value": 4},
            "deadline_days": {"min_value": 1},
        }

    def get_deadline_phrase(self, measure: Measure) -> str:
        return measure.deadline_phrase()

    def program_of(self, data) -> Program:
        return self.instance.task.section.program if self.instance is not None else data["program"]

    def current_values(self, attrs):
        values = super().current_values(attrs)
        if any(name in attrs for name in NEW_TASK_FIELDS):
            values.pop("task", None)  # moving the measure to a new task
        return values

    def input_problems(self, data):
        pk = getattr(self.instance, "pk", None)
        return measure_input_problems(data, program=self.program_of(data), measure_pk=pk)


class MeasureCreateSerializer(MeasureSerializer):
    target_field = "program"
    program = ScopedPrimaryKeyField(Program, write_only=True, help_text=_("The program the measure belongs to."))

    class Meta(MeasureSerializer.Meta):
        fields = [*MeasureSerializer.Meta.fields, "program"]

    def create(self, validated_data):
        return measure_create(program=validated_data["program"], user=self.user, data=validated_data)


class MeasureUpdateSerializer(VersionedMixin, MeasureSerializer):
    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        return measure_update(measure=instance, user=self.user, data=data, expected_version=version)
