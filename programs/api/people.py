"""People and roles of an organisation over the API, for its administrator: what the people pages do.

Roles held (memberships): list, give one more to a person of the organisation, change position and phone, take one
away, deactivate or activate the person's account, reset the person's second factor. Invitations: list, invite by
e-mail, send again, revoke.
Only the organisation's own administrator reaches these rows (`Membership.access`, `Invitation.access`); anyone else
gets 404. No answer carries a password hash or an invitation token, and, as on the pages, an invitation's answer
does not tell whether the address already had an account: the link goes by e-mail only.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
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
    ServiceDestroyMixin,
    ServiceUpdateMixin,
    write_schema,
)
from core.api.writing import ServiceModelSerializer
from core.roles import Role
from programs.models import Invitation, Membership, Organisation, Unit
from programs.people import (
    account_activate,
    account_deactivate,
    invitation_resend,
    invitation_revoke,
    membership_update,
    person_invite,
    role_give,
    role_take,
)
from programs.permissions import require_manage_people
from programs.second_factor import second_factor_reset

User = get_user_model()


class PersonSerializer(serializers.ModelSerializer):
    """The account of a person: who they are and whether they can sign in — nothing about the password."""

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "is_active"]
        read_only_fields = fields


# --- roles held -------------------------------------------------------------------------------------------------


class MembershipSerializer(ServiceModelSerializer):
    person = PersonSerializer(source="user", read_only=True)

    class Meta(ServiceModelSerializer.Meta):
        model = Membership
        fields = ["id", "organisation", "person", "role", "unit", "position", "phone"]
        read_only_fields = ["organisation", "role", "unit"]

    def update(self, instance, validated_data):
        return membership_update(membership=instance, data=validated_data, actor=self.user)


class MembershipCreateSerializer(MembershipSerializer):
    """One more role for a person who already holds a role in the organisation (invite newcomers instead)."""

    organisation = ScopedPrimaryKeyField(Organisation, help_text="The organisation where the role is held.")
    user = serializers.IntegerField(
        write_only=True, min_value=1, max_value=2**31 - 1, help_text="The account of a person of the organisation."
    )
    role = serializers.ChoiceField(choices=Role.choices)
    unit = ScopedPrimaryKeyField(
        Unit, required=False, allow_null=True, default=None, help_text="For a unit reporter: the unit reported for."
    )

    class Meta(MembershipSerializer.Meta):
        fields = [*MembershipSerializer.Meta.fields, "user"]
        read_only_fields = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # The same 404 of the person page: somebody without a role here is not shown to the administrator at all.
        person = User.objects.filter(pk=attrs["user"], memberships__organisation=attrs["organisation"]).first()
        if person is None:
            raise serializers.ValidationError(
                {"user": [_("Only a person who already works in this organisation gets a role here; invite others.")]}
            )
        attrs["user"] = person
        return attrs

    def create(self, validated_data):
        data = dict(validated_data)
        return role_give(organisation=data.pop("organisation"), person=data.pop("user"), actor=self.user, **data)


@write_schema(MembershipSerializer, create=MembershipCreateSerializer, update=MembershipSerializer, destroy=True)
class MembershipViewSet(ServiceCreateMixin, ServiceUpdateMixin, ServiceDestroyMixin, ScopedWriteViewSet):
    """Roles held in the organisations the user administers; DELETE takes a role away (never the last
    administrator's)."""

    queryset = Membership.objects.select_related("user", "unit", "organisation").order_by(
        "organisation", "user__last_name", "user__first_name", "user_id", "role"
    )
    serializer_class = MembershipSerializer
    create_serializer_class = MembershipCreateSerializer
    update_serializer_class = MembershipSerializer
    filterset_fields = ["organisation", "user", "role", "unit"]

    def perform_destroy(self, instance: Membership) -> None:
        role_take(membership=instance, actor=self.request.user)

    def _account(self, request, change) -> Response:
        membership = self.get_object()
        call_service(lambda: change(organisation=membership.organisation, person=membership.user, actor=request.user))
        membership.user.refresh_from_db(fields=["is_active"])
        return Response(self.read_back(membership))

    @extend_schema(request=None, responses={200: MembershipSerializer, **REFUSALS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], url_path="deactivate-account")
    def deactivate_account(self, request, pk=None):
        """The person of this role can no longer sign in; their roles and history stay."""
        return self._account(request, account_deactivate)

    @extend_schema(request=None, responses={200: MembershipSerializer, **REFUSALS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], url_path="activate-account")
    def activate_account(self, request, pk=None):
        """The person of this role can sign in again (once they have accepted an invitation)."""
        return self._account(request, account_activate)

    @extend_schema(request=None, responses={200: MembershipSerializer, **REFUSALS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], url_path="reset-second-factor")
    def reset_second_factor(self, request, pk=None):
        """The person of this role lost the authenticator app: their app and recovery codes are removed and they set
        the second factor up again at the next sign-in (if their role requires it). Recorded in the people log."""
        return self._account(request, second_factor_reset)


# --- invitations ------------------------------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(help_text="pending, expired, accepted or revoked.")
    delivered = serializers.SerializerMethodField(
        help_text="After sending: whether the mail server took the e-mail (null when nothing was sent now)."
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organisation",
            "email",
            "roles",
            "unit",
            "position",
            "phone",
            "created_at",
            "sent_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
            "state",
            "delivered",
        ]
        read_only_fields = fields

    def get_state(self, invitation: Invitation) -> str:
        if invitation.accepted_at is not None:
            return "accepted"
        if invitation.revoked_at is not None:
            return "revoked"
        return "expired" if invitation.expires_at <= timezone.now() else "pending"

    def get_delivered(self, invitation: Invitation) -> bool | None:
        return getattr(invitation, "delivered", None)


class InvitationCreateSerializer(serializers.Serializer):
    organisation = ScopedPrimaryKeyField(Organisation, help_text="The organisation the person is invited to.")
    email = serializers.EmailField(max_length=254)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), min_length=1)
    unit = ScopedPrimaryKeyField(
        Unit, required=False, allow_null=True, default=None, help_text="For a unit reporter: the unit reported for."
    )
    position = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


def _sent(sent) -> Invitation:
    invitation = sent.invitation
    invitation.delivered = sent.delivered
    return invitation


class InvitationViewSet(ScopedWriteViewSet):
    """Invitations of the organisations the user administers. The link to set a password goes only to the invited
    address, as from the page; `delivered` says whether the mail server took it."""

    queryset = Invitation.objects.select_related("unit").order_by("organisation", "email", "-created_at")
    serializer_class = InvitationSerializer
    filterset_fields = ["organisation", "email"]
    http_method_names = ["get", "post", "head", "options"]

    def _answer(self, invitation: Invitation, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.serializer_class(invitation, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer, **REFUSALS})
    def create(self, request, *args, **kwargs):
        """Invite someone by e-mail to take roles in the organisation, as the invite page does."""
        payload = InvitationCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        require_manage_people(request.user, data["organisation"].pk)
        sent = call_service(lambda: person_invite(actor=request.user, **data))
        return self._answer(_sent(sent), status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InvitationSerializer, **REFUSALS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """A new link by e-mail; the previous one stops working."""
        invitation = self.get_object()
        return self._answer(_sent(call_service(lambda: invitation_resend(invitation=invitation, actor=request.user))))

    @extend_schema(request=None, responses={200: InvitationSerializer, **REFUSALS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """The link stops working; the roles are not given."""
        invitation = self.get_object()
        return self._answer(call_service(lambda: invitation_revoke(invitation=invitation, actor=request.user)))
