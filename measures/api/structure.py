"""Sections and tasks of a program's measures annex over the API: list, create, rename, move.

A section (І. Заходи щодо усунення корупційних ризиків …) holds tasks; a task holds measures. Creating a section is
what the "add a section" page does; a task is what a measure naming a new task creates. Moving renumbers the
siblings so the annex reads І, ІІ, ІІІ … and 1, 2, 3 … in the new order.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import call_service
from core.api.fields import ScopedPrimaryKeyField
from core.api.viewsets import (
    NOT_FOUND,
    REFUSALS,
    ScopedWriteViewSet,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    write_schema,
)
from core.api.writing import ServiceModelSerializer
from measures.choices import SectionKind
from measures.models import MeasureSection, Task
from measures.services import (
    measure_section_create,
    measure_section_move,
    measure_section_update,
    task_add,
    task_move,
    task_update,
)
from programs.models import Program


class MeasureSectionSerializer(ServiceModelSerializer):
    class Meta(ServiceModelSerializer.Meta):
        model = MeasureSection
        fields = ["id", "program", "number", "title", "kind"]
        read_only_fields = ["program"]
        extra_kwargs = {"number": {"min_value": 1, "max_value": 1000}}

    def update(self, instance, validated_data):
        return measure_section_update(section=instance, **validated_data)


class MeasureSectionCreateSerializer(MeasureSectionSerializer):
    target_field = "program"
    program = ScopedPrimaryKeyField(Program, help_text="The program whose measures annex gets the section.")

    def create(self, validated_data):
        return measure_section_create(
            program=validated_data["program"],
            number=validated_data["number"],
            title=validated_data["title"],
            kind=validated_data.get("kind", SectionKind.RISK_TREATMENT),
        )


class TaskSerializer(ServiceModelSerializer):
    class Meta(ServiceModelSerializer.Meta):
        model = Task
        fields = ["id", "section", "number", "title"]
        read_only_fields = ["section", "number"]

    def update(self, instance, validated_data):
        return task_update(task=instance, title=validated_data["title"])


class TaskCreateSerializer(TaskSerializer):
    target_field = "section"
    section = ScopedPrimaryKeyField(MeasureSection, help_text="The section the task is added to, as its last task.")

    def organisation_id(self) -> int:
        return self.validated_data["section"].program.organisation_id

    def create(self, validated_data):
        return task_add(section=validated_data["section"], title=validated_data["title"])


class MoveSerializer(serializers.Serializer):
    number = serializers.IntegerField(
        min_value=1, max_value=1000, help_text="The place to take (1 = first); the others shift and are renumbered."
    )


@write_schema(MeasureSectionSerializer, create=MeasureSectionCreateSerializer, update=MeasureSectionSerializer)
class MeasureSectionViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = MeasureSection.objects.select_related("program")
    serializer_class = MeasureSectionSerializer
    create_serializer_class = MeasureSectionCreateSerializer
    update_serializer_class = MeasureSectionSerializer
    filterset_fields = ["program", "kind"]
    ordering_fields = ["number"]

    def get_queryset(self):
        return super().get_queryset().order_by("program", "number")

    @extend_schema(
        request=MoveSerializer, responses={200: MeasureSectionSerializer(many=True), **REFUSALS, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"], pagination_class=None)  # answers the whole list, never a page of it
    def move(self, request, pk=None):
        """Give the section another place in the annex; answers the program's sections in their new order."""
        section = self.get_object()
        payload = MoveSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        sections = call_service(lambda: measure_section_move(section=section, number=payload.validated_data["number"]))
        return Response(MeasureSectionSerializer(sections, many=True, context=self.get_serializer_context()).data)


@write_schema(TaskSerializer, create=TaskCreateSerializer, update=TaskSerializer)
class TaskViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = Task.objects.select_related("section")
    serializer_class = TaskSerializer
    create_serializer_class = TaskCreateSerializer
    update_serializer_class = TaskSerializer
    filterset_fields = {"section": ["exact"], "section__program": ["exact"]}
    ordering_fields = ["number"]

    def get_queryset(self):
        return super().get_queryset().order_by("section__program", "section__number", "number")

    @extend_schema(request=MoveSerializer, responses={200: TaskSerializer(many=True), **REFUSALS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], pagination_class=None)  # answers the whole list, never a page of it
    def move(self, request, pk=None):
        """Give the task another place in its section; answers the section's tasks in their new order."""
        task = self.get_object()
        payload = MoveSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        tasks = call_service(lambda: task_move(task=task, number=payload.validated_data["number"]))
        return Response(TaskSerializer(tasks, many=True, context=self.get_serializer_context()).data)
