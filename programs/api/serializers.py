from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyField
from core.api.writing import ServiceModelSerializer, VersionedMixin
from programs import report_headings
from programs.choices import ProgramStatus
from programs.forms import program_input_problems
from programs.models import Organisation, Program, ProgramRevision, Unit
from programs.services import (
    ORGANISATION_EDITABLE,
    PROGRAM_EDITABLE,
    UNIT_EDITABLE,
    organisation_update,
    program_create,
    program_update,
    unit_save,
)


class OrganisationSerializer(ServiceModelSerializer):
    """An organisation; its administrator may change the details, never the place in the hierarchy."""

    class Meta(ServiceModelSerializer.Meta):
        model = Organisation
        fields = ["id", *ORGANISATION_EDITABLE, "country", "parent"]
        read_only_fields = ["country", "parent"]

    def update(self, instance, validated_data):
        return organisation_update(organisation=instance, user=self.user, data=validated_data)


class UnitSerializer(ServiceModelSerializer):
    """A unit of an organisation; the organisation is chosen when the unit is created and stays."""

    parent = ScopedPrimaryKeyField(Unit, required=False, allow_null=True, help_text=_("A unit of the same body."))

    class Meta(ServiceModelSerializer.Meta):
        model = Unit
        fields = ["id", "organisation", *UNIT_EDITABLE, "version"]
        read_only_fields = ["organisation", "version"]


class UnitCreateSerializer(UnitSerializer):
    organisation = ScopedPrimaryKeyField(Organisation, help_text=_("The organisation the unit belongs to."))

    def create(self, validated_data):
        return unit_save(user=self.user, organisation=validated_data["organisation"], data=validated_data)


class UnitUpdateSerializer(VersionedMixin, UnitSerializer):
    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        return unit_save(
            user=self.user, organisation=instance.organisation, data=data, unit=instance, expected_version=version
        )


class ProgramSerializer(ServiceModelSerializer):
    """A program; its status changes only through the `transition` action, the documents with it."""

    class Meta(ServiceModelSerializer.Meta):
        model = Program
        fields = [
            "id",
            "organisation",
            *PROGRAM_EDITABLE,
            "status",
            "approval_order_number",
            "approval_order_date",
            "nazk_agreement_number",
            "nazk_agreement_date",
            "in_force_on",
            "version",
        ]
        extra_kwargs = {
            "report_annex_heading": {"help_text": report_headings.HEADING_HELP},
            "report_title": {"help_text": report_headings.TITLE_HELP},
            "report_columns": {"help_text": report_headings.COLUMNS_HELP},
        }
        read_only_fields = [
            "organisation",
            "status",
            "approval_order_number",
            "approval_order_date",
            "nazk_agreement_number",
            "nazk_agreement_date",
            "in_force_on",  # corrected through POST /api/v1/programs/{id}/in-force/
            "version",
        ]

    def input_problems(self, data):
        return program_input_problems(data)


class ProgramCreateSerializer(ProgramSerializer):
    organisation = ScopedPrimaryKeyField(Organisation, help_text=_("The organisation whose program this is."))

    def create(self, validated_data):
        return program_create(user=self.user, organisation=validated_data["organisation"], data=validated_data)


class ProgramUpdateSerializer(VersionedMixin, ProgramSerializer):
    revision = ScopedPrimaryKeyField(
        ProgramRevision,
        required=False,
        allow_null=True,
        write_only=True,
        help_text=_("An open revision of the program: required once the program is approved."),
    )

    class Meta(ProgramSerializer.Meta):
        fields = [*ProgramSerializer.Meta.fields, "revision"]

    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        revision = data.pop("revision", None)
        return program_update(program=instance, user=self.user, data=data, expected_version=version, revision=revision)


class ProgramTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ProgramStatus.choices, help_text=_("The status to move to."))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    document_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
