from rest_framework import serializers

from measures.models import Measure


class MeasureSerializer(serializers.ModelSerializer):
    deadline_phrase = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "task",
            "number",
            "content",
            "deadline_kind",
            "deadline_year",
            "deadline_part",
            "deadline_date",
            "deadline_days",
            "deadline_event",
            "deadline_phrase",
            "responsible_units",
            "target_audience",
            "indicator",
            "resources",
            "risks",
        ]

    def get_deadline_phrase(self, measure: Measure) -> str:
        return measure.deadline_phrase()
