"""Writes of an organisation's people: invitations, roles, position and phone, deactivation, child bodies.

Every function records what it did in `PeopleChange` with the person who did it, so the people page can show the
history in words. Permission to call them is checked by the views (`permissions.may_manage_people`); the rules that
hold whoever calls (the last administrator stays, nobody deactivates themselves) are checked here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import record as audit_record
from core.roles import Role
from programs.choices import OrganisationKind, PeopleAction
from programs.models import Invitation, Membership, Organisation, PeopleChange, Unit
from programs.permissions import may_deactivate_account

User = get_user_model()


def _last_admin_message() -> str:
    return _("This is the last administrator of the organisation: give the role to someone else first.")


def invitation_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.PORTAL["INVITATION_DAYS"])


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitation-accept", args=[token])


def role_label(role: str, unit: Unit | None = None) -> str:
    label = str(Role(role).label)
    return f"{label} ({unit.abbreviation})" if unit is not None else label


def invitation_role_labels(invitation: Invitation) -> list[str]:
    """The invited roles in words; the unit belongs to the unit reporter role only."""
    return [role_label(role, invitation.unit if role == Role.REPORTER else None) for role in invitation.roles]


# The changes of the people log that also go to the tamper-evident audit trail (who may do what is security).
AUDITED = {
    PeopleAction.INVITED: AuditAction.INVITED,
    PeopleAction.INVITATION_RESENT: AuditAction.INVITATION_RESENT,
    PeopleAction.INVITATION_REVOKED: AuditAction.INVITATION_REVOKED,
    PeopleAction.INVITATION_ACCEPTED: AuditAction.INVITATION_ACCEPTED,
    PeopleAction.ROLE_GIVEN: AuditAction.ROLE_GIVEN,
    PeopleAction.ROLE_TAKEN: AuditAction.ROLE_TAKEN,
    PeopleAction.DEACTIVATED: AuditAction.ACCOUNT_DEACTIVATED,
    PeopleAction.ACTIVATED: AuditAction.ACCOUNT_ACTIVATED,
    PeopleAction.SECOND_FACTOR_RESET: AuditAction.SECOND_FACTOR_RESET,
}


def people_record(*, organisation: Organisation, actor, action: str, person=None, detail: str = "") -> None:
    """One line of the people log, and of the audit trail where the change is one of security (AUDITED)."""
    PeopleChange.objects.create(
        organisation=organisation, actor=actor, person=person, action=action, detail=detail[:500]
    )
    if action in AUDITED:
        audit_record(
            AUDITED[action],
            actor=actor,
            organisation=organisation,
            target=person,
            label=person.get_username() if person is not None else "",
            detail=detail,
        )


def _check_roles(*, organisation: Organisation, roles: list[str], unit: Unit | None) -> None:
    """A unit reporter reports for a unit of this organisation; no other role has a unit."""
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Choose roles from the list.")})
    if Role.REPORTER in roles and unit is None:
        raise ValidationError({"unit": _("A unit reporter reports for a unit: choose the unit.")})
    if Role.REPORTER not in roles and unit is not None:
        raise ValidationError({"unit": _("Only a unit reporter has a unit: choose the unit reporter role or no unit.")})
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError({"unit": _("Choose a unit of this organisation.")})


# --- invitations --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    link: str
    delivered: bool


def _account_for(email: str):
    """The account of this e-mail address, or a new inactive one that the invitation will activate."""
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User.objects.filter(username__iexact=email).order_by("pk").first()
    if user is None:
        # The address becomes the sign-in name, which Django keeps to 150 characters.
        limit = User._meta.get_field("username").max_length
        if len(email) > limit:
            raise ValidationError(
                {
                    "email": _("An address for a new account can be at most %(limit)d characters long.")
                    % {"limit": limit}
                }
            )
        user = User(username=email.lower(), email=email.lower(), is_active=False)
        user.set_unusable_password()
        user.save()
    return user


def _issue(invitation: Invitation) -> str:
    """A fresh token for the invitation: the previous link, if any, stops working."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + invitation_lifetime()
    return token


def _send(invitation: Invitation, token: str) -> bool:
    """E-mail the link in the body's working language; False when the mail server refused it."""
    organisation = invitation.organisation
    with translation.override(organisation.working_language):
        context = {
            "organisation": organisation,
            "roles": invitation_role_labels(invitation),
            "link": invitation_link(token),
            "expires_at": invitation.expires_at,
            "username": invitation.user.get_username(),
        }
        subject = _("Invitation to the anti-corruption program portal: %(organisation)s") % {
            "organisation": organisation.short_name
        }
        body = render_to_string("programs/people/invitation_email.txt", context)
    try:
        EmailMessage(subject, body, to=[invitation.email]).send()
    except OSError:  # smtplib.SMTPException is an OSError; so is a refused connection
        return False
    return True


@transaction.atomic
def _invitation_create(
    *, organisation: Organisation, email: str, roles: list[str], unit: Unit | None, position: str, phone: str, actor
) -> tuple[Invitation, str]:
    _check_roles(organisation=organisation, roles=roles, unit=unit)
    invitation = Invitation(
        organisation=organisation,
        email=email.strip().lower(),
        user=_account_for(email.strip()),
        roles=sorted(set(roles), key=Role.values.index),
        unit=unit,
        position=position,
        phone=phone,
        created_by=actor,
    )
    token = _issue(invitation)
    invitation.save()
    labels = ", ".join(invitation_role_labels(invitation))
    people_record(
        organisation=organisation,
        actor=actor,
        action=PeopleAction.INVITED,
        detail=f"{invitation.email}: {labels}",
    )
    return invitation, token


def person_invite(
    *,
    organisation: Organisation,
    email: str,
    roles: list[str],
    actor,
    unit: Unit | None = None,
    position: str = "",
    phone: str = "",
) -> SentInvitation:
    """Invite someone by e-mail to take `roles`; the answer is the same whether the address has an account or not."""
    invitation, token = _invitation_create(
        organisation=organisation, email=email, roles=roles, unit=unit, position=position, phone=phone, actor=actor
    )
    return SentInvitation(invitation, invitation_link(token), _send(invitation, token))


def _locked(pk: int) -> Invitation:
    """The invitation locked until the transaction ends, so two clicks cannot both use or re-issue it."""
    related = Invitation.objects.select_related("organisation", "unit", "user")
    return related.select_for_update(of=("self",)).get(pk=pk)


def invitation_resend(*, invitation: Invitation, actor) -> SentInvitation:
    with transaction.atomic():
        invitation = _locked(invitation.pk)
        if not invitation.is_pending:
            raise ValidationError(_("This invitation has already been accepted or revoked."))
        token = _issue(invitation)
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        people_record(
            organisation=invitation.organisation,
            actor=actor,
            action=PeopleAction.INVITATION_RESENT,
            detail=invitation.email,
        )
    return SentInvitation(invitation, invitation_link(token), _send(invitation, token))


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation has already been accepted or revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    people_record(
        organisation=invitation.organisation,
        actor=actor,
        action=PeopleAction.INVITATION_REVOKED,
        detail=invitation.email,
    )
    return invitation


class InvitationRefused(Exception):
    """The link cannot be used; `message` tells the person why and what to do, `status` is the HTTP answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def invitation_by_token(token: str) -> Invitation:
    """The pending invitation the link belongs to, or InvitationRefused saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation", "unit", "user").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise InvitationRefused(
            _(
                "This invitation link is not valid. It may have been replaced by a newer invitation or copied "
                "incompletely: open the link from the latest e-mail, or ask your administrator to send it again."
            ),
            404,
        )
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            _(
                "This invitation has already been used. Sign in with your password; if you have forgotten it, "
                "reset it from the sign-in page."
            ),
            410,
        )
    if invitation.revoked_at is not None:
        raise InvitationRefused(
            _("This invitation has been withdrawn. Ask your administrator if you should still have access."), 410
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(
            _("This invitation link has expired. Ask your administrator to send the invitation again."), 410
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """Set the password, activate the account and give the invited roles; the link then stops working."""
    invitation = invitation_by_token(token)
    invitation = _locked(invitation.pk)
    if not invitation.is_pending:  # accepted in a parallel request between the check and the lock
        raise InvitationRefused(_("This invitation has already been used."), 410)
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    if not user.email:
        user.email = invitation.email
    user.save()
    for role in invitation.roles:
        unit = invitation.unit if role == Role.REPORTER else None
        Membership.objects.get_or_create(
            user=user,
            organisation=invitation.organisation,
            role=role,
            unit=unit,
            defaults={"position": invitation.position, "phone": invitation.phone},
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    people_record(
        organisation=invitation.organisation,
        actor=user,
        person=user,
        action=PeopleAction.INVITATION_ACCEPTED,
        detail=", ".join(
            role_label(role, invitation.unit if role == Role.REPORTER else None) for role in invitation.roles
        ),
    )
    return user


# --- roles and accounts -------------------------------------------------------------------------------------------


def _other_admins(organisation: Organisation, user) -> bool:
    return (
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN, user__is_active=True)
        .exclude(user=user)
        .exists()
    )


@transaction.atomic
def role_give(
    *,
    organisation: Organisation,
    person,
    role: str,
    actor,
    unit: Unit | None = None,
    position: str = "",
    phone: str = "",
) -> Membership:
    _check_roles(organisation=organisation, roles=[role], unit=unit)
    if Membership.objects.filter(user=person, organisation=organisation, role=role, unit=unit).exists():
        raise ValidationError({"role": _("This person already holds this role.")})
    membership = Membership(
        user=person, organisation=organisation, role=role, unit=unit, position=position, phone=phone
    )
    membership._history_user = actor
    membership.save()
    people_record(
        organisation=organisation,
        actor=actor,
        person=person,
        action=PeopleAction.ROLE_GIVEN,
        detail=role_label(role, unit),
    )
    return membership


@transaction.atomic
def role_take(*, membership: Membership, actor) -> None:
    organisation = membership.organisation
    # Lock the organisation's administrators so that two administrators cannot remove each other at once.
    list(Membership.objects.select_for_update().filter(organisation=organisation, role=Role.ADMIN))
    if membership.role == Role.ADMIN and not _other_admins(organisation, membership.user):
        raise ValidationError(_last_admin_message())
    label = role_label(membership.role, membership.unit)
    membership._history_user = actor
    membership.delete()
    people_record(
        organisation=organisation, actor=actor, person=membership.user, action=PeopleAction.ROLE_TAKEN, detail=label
    )


@transaction.atomic
def membership_update(*, membership: Membership, data: dict[str, Any], actor) -> Membership:
    """Position and phone as they are in this role (a person may be a secretary and an officer at once)."""
    # Compared with what is stored: a bound form has already written the new values onto `membership`.
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    old = f"{stored.position or '—'}, {stored.phone or '—'}"
    membership.position = data.get("position", membership.position)
    membership.phone = data.get("phone", membership.phone)
    membership._history_user = actor
    membership.save(update_fields=["position", "phone"])
    new = f"{membership.position or '—'}, {membership.phone or '—'}"
    if old != new:
        people_record(
            organisation=membership.organisation,
            actor=actor,
            person=membership.user,
            action=PeopleAction.DETAILS_CHANGED,
            detail=f"{role_label(membership.role, membership.unit)}: {old} → {new}",
        )
    return membership


@transaction.atomic
def account_deactivate(*, organisation: Organisation, person, actor) -> None:
    """The person can no longer sign in; their memberships and everything they did stay in the history."""
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    list(Membership.objects.select_for_update().filter(organisation=organisation, role=Role.ADMIN))
    held = Membership.objects.filter(user=person)
    if held.filter(organisation=organisation, role=Role.ADMIN).exists() and not _other_admins(organisation, person):
        raise ValidationError(_last_admin_message())
    if not may_deactivate_account(actor, person, organisation.pk):
        raise ValidationError(
            _(
                "This person also works in another organisation, so the account stays active there: take away "
                "their roles in this organisation instead."
            )
        )
    person.is_active = False
    person.save(update_fields=["is_active"])
    people_record(organisation=organisation, actor=actor, person=person, action=PeopleAction.DEACTIVATED)


@transaction.atomic
def account_activate(*, organisation: Organisation, person, actor) -> None:
    if not person.has_usable_password():
        raise ValidationError(_("This person has not accepted an invitation yet; send the invitation again instead."))
    person.is_active = True
    person.save(update_fields=["is_active"])
    people_record(organisation=organisation, actor=actor, person=person, action=PeopleAction.ACTIVATED)


# --- organisations ------------------------------------------------------------------------------------------------


@transaction.atomic
def _organisation_create(*, name: str, short_name: str, kind: str, parent: Organisation | None, actor) -> Organisation:
    if Organisation.objects.filter(short_name__iexact=short_name.strip()).exists():
        raise ValidationError({"short_name": _("An organisation with this short name already exists.")})
    organisation = Organisation(name=name.strip(), short_name=short_name.strip(), kind=kind, parent=parent)
    if parent is not None:
        organisation.country = parent.country
    organisation._history_user = actor
    organisation.save()
    for body in filter(None, [parent, organisation]):
        people_record(
            organisation=body, actor=actor, action=PeopleAction.ORGANISATION_CREATED, detail=organisation.name
        )
    return organisation


def organisation_create(
    *,
    name: str,
    short_name: str,
    admin_email: str,
    actor=None,
    kind: str = OrganisationKind.CENTRAL,
    parent: Organisation | None = None,
) -> tuple[Organisation, SentInvitation]:
    """A new organisation (under `parent`, if given) and the invitation of its first administrator."""
    with transaction.atomic():
        organisation = _organisation_create(name=name, short_name=short_name, kind=kind, parent=parent, actor=actor)
        invitation, token = _invitation_create(
            organisation=organisation,
            email=admin_email,
            roles=[Role.ADMIN],
            unit=None,
            position="",
            phone="",
            actor=actor,
        )
    return organisation, SentInvitation(invitation, invitation_link(token), _send(invitation, token))
