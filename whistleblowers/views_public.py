"""The public whistleblower pages: no login, no session, no script, nothing about the visitor stored or logged."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from programs.models import Organisation
from whistleblowers.choices import MessageAuthor
from whistleblowers.forms import FollowUpForm, PublicReportForm, ReceiptConfirmForm, ReplyForm
from whistleblowers.public_profile import PublicProfile, profile_of, public_profile
from whistleblowers.receipts import receipt_display
from whistleblowers.security import FORM_POSTS, RECEIPT_FAILURES, REPLIES, SUBMISSIONS, strict_headers
from whistleblowers.selectors import report_by_receipt, report_deadlines, report_messages, rules_by_organisation
from whistleblowers.services import (
    message_send_by_reporter,
    messages_mark_read,
    report_submit_public,
    submission_confirm,
    submission_receipt,
)


def _organisation(short_name: str) -> Organisation:
    if "\x00" in short_name:  # PostgreSQL refuses the character in a query; no organisation is named with it
        raise Http404
    return get_object_or_404(Organisation, short_name=short_name)


def _too_many(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    return render(request, "whistleblowers/public/too_many.html", {"organisation": organisation}, status=429)


@strict_headers
def organisation_index(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.order_by("name").only("name", "short_name")
    return render(request, "whistleblowers/public/index.html", {"organisations": organisations})


def _receipt_page(request, organisation, *, receipt: str, token: str, form=None, repeated=False) -> HttpResponse:
    form = form or ReceiptConfirmForm(initial={"token": token})
    context = {
        "organisation": organisation,
        "receipt": receipt_display(receipt),
        "form": form,
        "repeated": repeated,
    }
    return render(request, "whistleblowers/public/receipt.html", context)


def _form_too_many(request: HttpRequest, organisation: Organisation, rules) -> HttpResponse:
    # The typed text comes back so it is not lost while the connection waits; the files are neither opened nor kept.
    form = PublicReportForm(request.POST)
    form.is_valid()
    form.add_error(
        None,
        _(
            "To protect whistleblowers from guessing and spam, this connection must wait a little. Please try again "
            "later (at most an hour)."
        ),
    )
    return _report_form_page(request, profile_of(organisation, rules), form, status=429)


@strict_headers
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, short_name: str) -> HttpResponse:
    if request.method == "GET":
        return _empty_report_form(request, short_name)
    organisation = _organisation(short_name)
    rules = rules_by_organisation([organisation.pk])[organisation.pk]
    # The limits come before any attachment is opened: judging files costs memory and time, so a client
    # sending bad files over and over is stopped as one sending reports is. Sending the same form again (a
    # double click, a reload) still shows its receipt.
    token = request.POST.get("token", "")[:64]
    if FORM_POSTS.exceeded(request) or (
        SUBMISSIONS.exceeded(request) and not (token and submission_receipt(token=token))
    ):
        return _form_too_many(request, organisation, rules)
    FORM_POSTS.hit(request)
    form = PublicReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        token = data["token"]
        try:
            submission = report_submit_public(
                organisation=organisation,
                token=token,
                basis_of_knowledge=data["basis_of_knowledge"],
                details=data["details"],
                accused=data["accused"],
                place_and_time=data["place_and_time"],
                is_anonymous=data["disclosure"] == "anonymous",
                full_name=data["full_name"],
                contacts=data["contacts"],
                position=data["position"],
                files=data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not submission.repeated:
                SUBMISSIONS.hit(request)
            if submission.receipt is None:
                return render(request, "whistleblowers/public/already_received.html", {"organisation": organisation})
            return _receipt_page(
                request, organisation, receipt=submission.receipt, token=token, repeated=submission.repeated
            )
    return _report_form_page(request, profile_of(organisation, rules), form, status=400)


def _empty_report_form(request: HttpRequest, short_name: str) -> HttpResponse:
    """The form as every visitor first sees it: from the body's public profile, with no database query."""
    profile = public_profile(short_name=short_name)
    if profile is None:
        raise Http404
    # A one-time token per form: sending the same form twice creates one report.
    form = PublicReportForm(initial={"token": secrets.token_urlsafe(32), "disclosure": "anonymous"})
    return _report_form_page(request, profile, form)


def _report_form_page(request: HttpRequest, profile: PublicProfile, form, *, status: int = 200) -> HttpResponse:
    context = {"profile": profile, "organisation": profile.organisation, "rules": profile.rules, "form": form}
    return render(request, "whistleblowers/public/report_form.html", context, status=status)


@strict_headers
@require_POST
def receipt_confirm(request: HttpRequest, short_name: str) -> HttpResponse:
    """The step that makes saving the receipt unmissable: the whistleblower types it back."""
    organisation = _organisation(short_name)
    form = ReceiptConfirmForm(request.POST)
    token = request.POST.get("token", "")[:64]
    if not RECEIPT_FAILURES.take(request):
        return _too_many(request, organisation)
    if form.is_valid() and submission_confirm(
        organisation=organisation, token=form.cleaned_data["token"], typed_receipt=form.cleaned_data["receipt"]
    ):
        RECEIPT_FAILURES.give_back(request)
        return render(request, "whistleblowers/public/receipt_saved.html", {"organisation": organisation})
    receipt = submission_receipt(token=token) if token else None
    if receipt is None:
        return render(
            request, "whistleblowers/public/already_received.html", {"organisation": organisation}, status=400
        )
    if form.is_valid():
        form.add_error("receipt", _("The number you typed does not match your receipt. Copy it again, digit by digit."))
    return _receipt_page(request, organisation, receipt=receipt, token=token, form=form)


@strict_headers
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, short_name: str) -> HttpResponse:
    """Status, deadline and messages for whoever holds the receipt; replies carry the receipt in a hidden field."""
    organisation = _organisation(short_name)
    context = {"organisation": organisation}
    if request.method == "GET":
        context["form"] = FollowUpForm()
        return render(request, "whistleblowers/public/follow_up.html", context)
    if not RECEIPT_FAILURES.take(request):
        return _too_many(request, organisation)
    form = FollowUpForm(request.POST)
    report = (
        report_by_receipt(organisation=organisation, receipt=form.cleaned_data["receipt"]) if form.is_valid() else None
    )
    if report is None:
        if form.is_valid():
            form.add_error("receipt", _("No report matches this receipt. Check the digits and try again."))
        context["form"] = form
        return render(request, "whistleblowers/public/follow_up.html", context, status=400)
    RECEIPT_FAILURES.give_back(request)

    reply_form = ReplyForm(initial={"receipt": form.cleaned_data["receipt"]})
    language = _chosen_language(request)
    if language:
        # The language switch of the case page posts here with the receipt, so the case stays open in the new
        # language; the receipt never goes into a URL, a log line or a session.
        translation.activate(language)
        request.LANGUAGE_CODE = language
    if request.POST.get("action") == "reply":
        if REPLIES.exceeded(request) or FORM_POSTS.exceeded(request):
            return _too_many(request, organisation)
        FORM_POSTS.hit(request)
        bound = ReplyForm(request.POST, request.FILES)
        if bound.is_valid():
            try:
                message_send_by_reporter(
                    report=report, body=bound.cleaned_data["body"], files=bound.cleaned_data["attachments"]
                )
            except ValidationError as error:
                bound.add_error(None, error)
                reply_form = bound
            else:
                REPLIES.hit(request)
                context["sent"] = True
        else:
            reply_form = bound
    rules = rules_by_organisation([organisation.pk])[organisation.pk]
    deadlines = [deadline for deadline in report_deadlines(report, rules) if not deadline.done]
    context.update(
        {
            "report": report,
            "next_deadline": min(deadlines, key=lambda d: d.due, default=None),
            "messages_list": list(report_messages(report=report)),
            "reply_form": reply_form,
        }
    )
    messages_mark_read(report=report, author=MessageAuthor.OFFICER)
    response = render(request, "whistleblowers/public/status.html", context)
    if language:
        # The same cookie Django's set_language writes: the next pages keep the language too.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def _chosen_language(request: HttpRequest) -> str | None:
    """The language the case page's switch asked for, if it is one the portal speaks."""
    if request.POST.get("action") != "language":
        return None
    language = request.POST.get("language", "")
    return language if language in dict(settings.LANGUAGES) else None
