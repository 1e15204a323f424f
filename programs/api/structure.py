"""The sections of the program's text (І. Засади … ІV. Процедури …) over the API, as the program page edits them.

Once the program is approved its text changes only under an open revision, named in `revision`, as on the page.
A section moves by taking a free `position`. (The sections and tasks of the measures annex are
`measures/api/structure.py`.)
"""

from __future__ import annotations

from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyField
from core.api.viewsets import ScopedWriteViewSet, ServiceCreateMixin, ServiceUpdateMixin, write_schema
from core.api.writing import ServiceModelSerializer, VersionedMixin
from programs.models import Program, ProgramRevision, ProgramSection
from programs.services import SECTION_EDITABLE, program_section_create, program_section_update


class ProgramSectionSerializer(ServiceModelSerializer):
    class Meta(ServiceModelSerializer.Meta):
        model = ProgramSection
        fields = ["id", "program", *SECTION_EDITABLE, "version"]
        read_only_fields = ["program", "version"]
        extra_kwargs = {"position": {"min_value": 1, "max_value": 1000}}


class _Revision(serializers.Serializer):
    revision = ScopedPrimaryKeyField(
        ProgramRevision,
        required=False,
        allow_null=True,
        write_only=True,
        help_text="An open revision of the program: required once the program is approved.",
    )


class ProgramSectionCreateSerializer(_Revision, ProgramSectionSerializer):
    target_field = "program"
    program = ScopedPrimaryKeyField(Program, help_text="The program whose text gets the section.")

    class Meta(ProgramSectionSerializer.Meta):
        fields = [*ProgramSectionSerializer.Meta.fields, "revision"]

    def create(self, validated_data):
        return program_section_create(
            program=validated_data["program"],
            user=self.user,
            position=validated_data["position"],
            title=validated_data["title"],
            body=validated_data.get("body", ""),
            revision=validated_data.get("revision"),
        )


class ProgramSectionUpdateSerializer(VersionedMixin, _Revision, ProgramSectionSerializer):
    class Meta(ProgramSectionSerializer.Meta):
        fields = [*ProgramSectionSerializer.Meta.fields, "revision"]

    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        return program_section_update(
            section=instance,
            user=self.user,
            position=data["position"],
            title=data["title"],
            body=data["body"],
            expected_version=version,
            revision=data.get("revision"),
        )


@write_schema(ProgramSectionSerializer, create=ProgramSectionCreateSerializer, update=ProgramSectionUpdateSerializer)
class ProgramSectionViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = ProgramSection.objects.select_related("program").order_by("program", "position")
    serializer_class = ProgramSectionSerializer
    create_serializer_class = ProgramSectionCreateSerializer
    update_serializer_class = ProgramSectionUpdateSerializer
    filterset_fields = ["program"]
    ordering_fields = ["position"]
