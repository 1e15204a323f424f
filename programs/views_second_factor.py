"""The second factor's pages: the code step after the password, enrolment, the account page and the recovery
codes. The writing is in programs.second_factor; SecondFactorMiddleware sends people here until they are verified.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from programs.forms_people import SecondFactorCodeForm
from programs.second_factor import (
    code_verify,
    enrolment_confirm,
    enrolment_device,
    enrolment_qr_svg,
    has_second_factor,
    recovery_codes_regenerate,
    second_factor_remove,
    second_factor_state,
    secret_for_typing,
)
from programs.second_factor_models import RecoveryCodes


def _next_url(request: HttpRequest) -> str:
    """Where the person was going before the code step; only an address of this portal."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, after_enrolment: bool) -> HttpResponse:
    # Answered to the POST itself, never stored for a later page: the codes are shown this once.
    context = {"codes": codes, "after_enrolment": after_enrolment, "next": _next_url(request)}
    return render(request, "registration/recovery_codes.html", context)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the app, or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not has_second_factor(request.user):
        return redirect(f"{reverse('second-factor-enrol')}?{request.GET.urlencode()}")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = code_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            if isinstance(device, RecoveryCodes):
                left = device.codes.count()
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(left)d are left. Make new ones on your account page.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/second_factor_verify.html", context, status=400 if form.errors else 200)


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), confirm with a code, then see the ten recovery codes once."""
    if has_second_factor(request.user):
        if request.user.is_verified():
            return redirect("account-security")
        return redirect(f"{reverse('second-factor-verify')}?{request.GET.urlencode()}")
    device = enrolment_device(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    form.fields["code"].help_text = _("The six digits your authenticator app shows after scanning.")
    if request.method == "POST" and form.is_valid():
        try:
            codes = enrolment_confirm(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            device.refresh_from_db()
            otp_login(request, device)
            return _recovery_codes_page(request, codes, after_enrolment=True)
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": enrolment_qr_svg(device),
        "secret": secret_for_typing(device),
        "required": second_factor_state(user=request.user).required,
    }
    return render(request, "registration/second_factor_enrol.html", context, status=400 if form.errors else 200)


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    """The person's own second factor: turn it on, make new recovery codes, turn it off where the role allows."""
    return render(request, "registration/account_security.html", {"state": second_factor_state(user=request.user)})


@login_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    try:
        codes = recovery_codes_regenerate(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("account-security")
    return _recovery_codes_page(request, codes, after_enrolment=False)


@login_required
@require_POST
def second_factor_off(request: HttpRequest) -> HttpResponse:
    try:
        second_factor_remove(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The second factor is turned off; you sign in with the password alone."))
    return redirect("account-security")
