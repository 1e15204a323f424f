"""The commission over the API: the commission itself, its members, meetings, agenda items and decisions.

The same services as the commission pages (`programs.commission_services`): one current chair and secretary, attendees
who are members on the meeting day, decisions only with a quorum, a decision approving a period's report naming the
period. Readers of the program read the commission; the secretary and the administrator change it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
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
from core.api.writing import ServiceModelSerializer, VersionedMixin
from core.permissions import require_change
from programs.choices import DecisionKind, Vote
from programs.commission_services import (
    COMMISSION_EDITABLE,
    MEETING_EDITABLE,
    MEMBER_EDITABLE,
    agenda_item_create,
    agenda_item_record_decision,
    commission_member_save,
    commission_save,
    meeting_save,
)
from programs.models import AgendaItem, Commission, CommissionMember, Meeting, Organisation, ProgramRevision

# Reporting periods are defined in `reports`, above programs: reached through the agenda item's own relation.
ReportingPeriod = AgendaItem._meta.get_field("period").related_model

User = get_user_model()


def _organisation_and_ancestors(organisation: Organisation) -> list[int]:
    found, current = [], organisation
    while current is not None and current.pk not in found:
        found.append(current.pk)
        current = current.parent
    return found


# --- the commission ---------------------------------------------------------------------------------------------


class CommissionSerializer(ServiceModelSerializer):
    class Meta(ServiceModelSerializer.Meta):
        model = Commission
        fields = ["id", "organisation", *COMMISSION_EDITABLE, "version"]
        read_only_fields = ["organisation", "version"]


class CommissionCreateSerializer(CommissionSerializer):
    organisation = ScopedPrimaryKeyField(Organisation, help_text="The organisation whose commission this is.")

    def input_problems(self, data):
        if Commission.objects.filter(organisation=data["organisation"]).exists():
            return [("organisation", _("This organisation already has a commission: change it instead."))]
        return []

    def create(self, validated_data):
        return commission_save(user=self.user, **validated_data)


class CommissionUpdateSerializer(VersionedMixin, CommissionSerializer):
    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        return commission_save(
            user=self.user,
            organisation=instance.organisation,
            name=data["name"],
            established_by=data["established_by"],
            expected_version=version,
        )


@write_schema(CommissionSerializer, create=CommissionCreateSerializer, update=CommissionUpdateSerializer)
class CommissionViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = Commission.objects.select_related("organisation").order_by("organisation__name")
    serializer_class = CommissionSerializer
    create_serializer_class = CommissionCreateSerializer
    update_serializer_class = CommissionUpdateSerializer
    filterset_fields = ["organisation"]


# --- members ----------------------------------------------------------------------------------------------------


class CommissionMemberSerializer(ServiceModelSerializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="Optional: the member's portal account, a person of the organisation or of a body above it.",
    )

    class Meta(ServiceModelSerializer.Meta):
        model = CommissionMember
        fields = ["id", "commission", *MEMBER_EDITABLE, "version"]
        read_only_fields = ["commission", "version"]

    def commission_of(self, data) -> Commission:
        return self.instance.commission if self.instance is not None else data["commission"]

    def input_problems(self, data):
        problems = []
        user = data.get("user")
        if user is not None:
            organisations = _organisation_and_ancestors(self.commission_of(data).organisation)
            if not user.memberships.filter(organisation__in=organisations).exists():
                problems.append(("user", _("Link an account of a person of this organisation or of a body above it.")))
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            problems.append(("until", _("The end of the term cannot be before its start.")))
        return problems


class CommissionMemberCreateSerializer(CommissionMemberSerializer):
    target_field = "commission"
    commission = ScopedPrimaryKeyField(Commission, help_text="The commission the member joins.")

    def create(self, validated_data):
        data = dict(validated_data)
        commission = data.pop("commission")
        return commission_member_save(user=self.user, commission=commission, data=data)


class CommissionMemberUpdateSerializer(VersionedMixin, CommissionMemberSerializer):
    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        return commission_member_save(
            user=self.user, commission=instance.commission, data=data, member=instance, expected_version=version
        )


@write_schema(
    CommissionMemberSerializer, create=CommissionMemberCreateSerializer, update=CommissionMemberUpdateSerializer
)
class CommissionMemberViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = CommissionMember.objects.select_related("commission").order_by("commission", "until", "role", "pk")
    serializer_class = CommissionMemberSerializer
    create_serializer_class = CommissionMemberCreateSerializer
    update_serializer_class = CommissionMemberUpdateSerializer
    filterset_fields = ["commission", "role"]


# --- meetings ---------------------------------------------------------------------------------------------------


class MeetingSerializer(ServiceModelSerializer):
    number = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="The protocol number; leave it out to take the next number of the meeting's year.",
    )
    attendees = ScopedPrimaryKeyField(
        CommissionMember,
        many=True,
        required=False,
        help_text="Members of the commission on the meeting day who were present; they make the quorum.",
    )

    class Meta(ServiceModelSerializer.Meta):
        model = Meeting
        fields = ["id", "commission", *MEETING_EDITABLE, "attendees", "version"]
        read_only_fields = ["commission", "version"]


class MeetingCreateSerializer(MeetingSerializer):
    target_field = "commission"
    commission = ScopedPrimaryKeyField(Commission, help_text="The commission that met.")

    def create(self, validated_data):
        data = dict(validated_data)
        commission = data.pop("commission")
        return meeting_save(user=self.user, commission=commission, data=data)


class MeetingUpdateSerializer(VersionedMixin, MeetingSerializer):
    def update(self, instance, validated_data):
        data, version = self.split_version(validated_data)
        return meeting_save(
            user=self.user, commission=instance.commission, data=data, meeting=instance, expected_version=version
        )


@write_schema(MeetingSerializer, create=MeetingCreateSerializer, update=MeetingUpdateSerializer)
class MeetingViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedWriteViewSet):
    queryset = (
        Meeting.objects.select_related("commission").prefetch_related("attendees").order_by("-held_on", "-number")
    )
    serializer_class = MeetingSerializer
    create_serializer_class = MeetingCreateSerializer
    update_serializer_class = MeetingUpdateSerializer
    filterset_fields = ["commission", "held_on"]


# --- agenda items and decisions ---------------------------------------------------------------------------------


class MemberVoteSerializer(serializers.Serializer):
    member = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="A voting member of the commission present at the meeting."
    )
    vote = serializers.ChoiceField(choices=Vote.choices)


class AgendaItemSerializer(serializers.ModelSerializer):
    votes = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "title",
            "heard",
            "decided",
            "decision_kind",
            "period",
            "revision",
            "votes",
        ]
        read_only_fields = fields

    @extend_schema_field(MemberVoteSerializer(many=True))
    def get_votes(self, item: AgendaItem) -> list[dict]:
        return [{"member": vote.member_id, "vote": vote.vote} for vote in item.votes.all()]


class AgendaItemCreateSerializer(serializers.Serializer):
    meeting = ScopedPrimaryKeyField(Meeting, help_text="The meeting whose agenda gets the question, as its last item.")
    title = serializers.CharField(max_length=500, help_text="The question.")
    heard = serializers.CharField(required=False, allow_blank=True, default="", help_text="«Слухали»: who reported.")


class DecisionSerializer(serializers.Serializer):
    """«Слухали / Вирішили», the kind of decision and the votes; refused without a quorum."""

    decided = serializers.CharField(help_text="«Вирішили»: what the commission decided.")
    heard = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    decision_kind = serializers.ChoiceField(choices=DecisionKind.choices, default=DecisionKind.GENERAL)
    period = ScopedPrimaryKeyField(
        ReportingPeriod,
        required=False,
        allow_null=True,
        default=None,
        help_text="For approve_period_report: the period whose report is approved.",
    )
    revision = ScopedPrimaryKeyField(
        ProgramRevision,
        required=False,
        allow_null=True,
        default=None,
        help_text="For approve_revision: the open revision decided on.",
    )
    votes = MemberVoteSerializer(many=True, required=False, default=list)


class AgendaItemViewSet(ScopedWriteViewSet):
    queryset = (
        AgendaItem.objects.select_related("meeting").prefetch_related("votes").order_by("meeting", "position", "pk")
    )
    serializer_class = AgendaItemSerializer
    filterset_fields = ["meeting", "decision_kind", "period"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=AgendaItemCreateSerializer, responses={201: AgendaItemSerializer, **REFUSALS})
    def create(self, request, *args, **kwargs):
        """Add a question to a meeting's agenda, as the meeting page does."""
        payload = AgendaItemCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        meeting = data.pop("meeting")
        require_change(request.user, meeting)
        item = call_service(lambda: agenda_item_create(user=request.user, meeting=meeting, **data))
        return Response(self.read_back(item), status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses={200: AgendaItemSerializer, **REFUSALS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Record what the commission heard and decided on the question, and the votes."""
        item = self.get_object()
        payload = DecisionSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        votes = {vote["member"]: vote["vote"] for vote in data.pop("votes")}
        call_service(lambda: agenda_item_record_decision(item=item, user=request.user, votes=votes, **data))
        return Response(self.read_back(item))
