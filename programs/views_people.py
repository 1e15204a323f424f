"""People and roles in the portal: an organisation's administrator invites people, gives and takes roles, sets
position and phone, deactivates accounts and adds child bodies — without the Django admin.

Objects outside the administrator's scope answer 404 (core.access); an organisation the user may see but does
not administer answers 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Action
from programs.current import current_organisation_id, set_current_organisation
from programs.forms_people import ChildOrganisationForm, InviteForm, MembershipForm, RoleGiveForm
from programs.models import Invitation, Membership, Organisation
from programs.people import (
    InvitationRefused,
    SentInvitation,
    account_activate,
    account_deactivate,
    invitation_accept,
    invitation_by_token,
    invitation_resend,
    invitation_revoke,
    membership_update,
    organisation_create,
    person_invite,
    role_give,
    role_take,
)
from programs.permissions import may_add_child_organisation, may_manage_people, require_manage_people
from programs.second_factor import second_factor_reset
from programs.selectors import organisation_get
from programs.selectors_people import pending_invitations, people_changes, people_of, person_in

User = get_user_model()


def _people_url(organisation_id: int) -> str:
    return reverse("programs:people", args=[organisation_id])


def _managed_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = organisation_get(user=request.user, pk=pk)
    require_manage_people(request.user, organisation.pk)
    return organisation


def _report_sent(request: HttpRequest, sent: SentInvitation) -> None:
    # The same words whether the address already had an account or not: the page reveals nothing about it.
    if sent.delivered:
        messages.success(request, _("The invitation has been sent to %(email)s.") % {"email": sent.invitation.email})
    else:
        messages.warning(
            request,
            _("The invitation to %(email)s is saved, but the e-mail could not be sent. Try “Send again” later.")
            % {"email": sent.invitation.email},
        )


@login_required
def people_index(request: HttpRequest) -> HttpResponse:
    """The people of the organisation the user works in now (or the first one they administer)."""
    current = current_organisation_id(request)
    if current is not None and may_manage_people(request.user, current):
        return redirect(_people_url(current))
    for organisation in Organisation.objects.restrict(request.user, Action.CHANGE).order_by("name"):
        if may_manage_people(request.user, organisation.pk):
            return redirect(_people_url(organisation.pk))
    raise PermissionDenied


@login_required
def people_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    context = {
        "organisation": organisation,
        "people": people_of(organisation=organisation),
        "invitations": pending_invitations(organisation=organisation),
        "changes": people_changes(organisation=organisation),
        "can_add_child": may_add_child_organisation(request.user, organisation.pk),
    }
    return render(request, "programs/people/list.html", context)


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    form = InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            sent = person_invite(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _report_sent(request, sent)
            return redirect(_people_url(organisation.pk))
    context = {"form": form, "organisation": organisation}
    return render(request, "programs/people/invite.html", context, status=400 if form.errors else 200)


def _managed_invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.restrict(request.user, Action.CHANGE).select_related("organisation", "unit", "user"), pk=pk
    )


@login_required
@require_POST
def invitation_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _managed_invitation(request, pk)
    try:
        _report_sent(request, invitation_resend(invitation=invitation, actor=request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_people_url(invitation.organisation_id))


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _managed_invitation(request, pk)
    try:
        invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s has been revoked.") % {"email": invitation.email})
    return redirect(_people_url(invitation.organisation_id))


def _person_page(request, organisation, person, *, give_form=None, status=200) -> HttpResponse:
    context = {
        "organisation": organisation,
        "person": person,
        "give_form": give_form or RoleGiveForm(organisation=organisation),
        "membership_forms": [
            (membership, MembershipForm(instance=membership, prefix=f"m{membership.pk}"))
            for membership in person.memberships
        ],
        "is_self": person.user.pk == request.user.pk,
    }
    return render(request, "programs/people/person.html", context, status=status)


@login_required
def person_detail(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """The person's roles here, each with its position and phone; POST gives one more role."""
    organisation = _managed_organisation(request, pk)
    person = person_in(organisation=organisation, user_id=user_pk)
    if request.method != "POST":
        return _person_page(request, organisation, person)
    form = RoleGiveForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            role_give(organisation=organisation, person=person.user, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The role has been given."))
            return redirect(request.path)
    return _person_page(request, organisation, person, give_form=form, status=400)


def _managed_membership(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.restrict(request.user, Action.CHANGE).select_related("organisation", "unit", "user"), pk=pk
    )


def _person_url(membership: Membership) -> str:
    return reverse("programs:person", args=[membership.organisation_id, membership.user_id])


@login_required
@require_POST
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk)
    form = MembershipForm(request.POST, instance=membership, prefix=f"m{membership.pk}")
    if form.is_valid():
        membership_update(membership=membership, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("Position and phone have been saved."))
        return redirect(_person_url(membership))
    person = person_in(organisation=membership.organisation, user_id=membership.user_id)
    return _person_page(request, membership.organisation, person, status=400)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk)
    try:
        role_take(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role has been taken away."))
    if Membership.objects.filter(organisation_id=membership.organisation_id, user_id=membership.user_id).exists():
        return redirect(_person_url(membership))
    return redirect(_people_url(membership.organisation_id))


def _account_action(request: HttpRequest, pk: int, user_pk: int, action, done: str) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    person = person_in(organisation=organisation, user_id=user_pk)
    try:
        action(organisation=organisation, person=person.user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(reverse("programs:person", args=[organisation.pk, person.user.pk]))


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    return _account_action(request, pk, user_pk, account_deactivate, _("The account has been deactivated."))


@login_required
@require_POST
def person_activate(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    return _account_action(request, pk, user_pk, account_activate, _("The account has been activated."))


@login_required
@require_POST
def person_reset_second_factor(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """A lost phone: the person enrols again at the next sign-in (if the role requires it)."""
    done = _("The second factor has been reset: the person sets it up again at the next sign-in.")
    return _account_action(request, pk, user_pk, second_factor_reset, done)


@login_required
def child_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A parent body's administrator adds a territorial body or an enterprise and invites its administrator."""
    parent = organisation_get(user=request.user, pk=pk)
    if not may_add_child_organisation(request.user, parent.pk):
        raise PermissionDenied
    form = ChildOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child, sent = organisation_create(parent=parent, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation %(name)s has been added.") % {"name": child.short_name})
            _report_sent(request, sent)
            return redirect(child)
    context = {"form": form, "organisation": parent}
    return render(request, "programs/people/child_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        chosen = int(request.POST.get("organisation", ""))
    except ValueError:
        chosen = None
    if chosen is None or not set_current_organisation(request, chosen):
        raise Http404
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    return redirect(target)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link from an invitation: set a password, then work in the portal. Needs no sign-in."""
    try:
        invitation = invitation_by_token(token)
    except InvitationRefused as refused:
        return render(
            request, "programs/people/invitation_refused.html", {"message": refused.message}, status=refused.status
        )
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except InvitationRefused as refused:
            context = {"message": refused.message}
            return render(request, "programs/people/invitation_refused.html", context, status=refused.status)
        # The password was just set through the one-time link: sign in with the portal's own backend (the first one
        # configured), so the session stays valid on the next request.
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        set_current_organisation(request, invitation.organisation_id)
        messages.success(
            request,
            _("Welcome! Your password is set; from now on sign in as %(username)s.")
            % {"username": user.get_username()},
        )
        return redirect("home")
    context = {"form": form, "invitation": invitation}
    return render(request, "programs/people/accept.html", context, status=400 if form.errors else 200)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, whose e-mail links to the portal's public address (SITE_URL) rather than the host the request
    reached: behind the reverse proxy that is the application server's own 127.0.0.1:8000."""

    email_template_name = "registration/password_reset_email.txt"

    @property
    def extra_email_context(self) -> dict[str, str]:
        return {"site_url": settings.SITE_URL.rstrip("/")}
