"""The anti-corruption officer's registry: journal, case page, identity, attachments (the inducement journal:
views_inducement).

Every object comes through `restrict`, so anyone but the officer of the organisation gets 404 — managers,
secretaries and platform superusers included.
"""

from __future__ import annotations

import os
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.choices import AuditAction
from audit.services import record as audit_record
from core.access import Action
from core.concurrency import ConcurrentEditError
from core.downloads import private_file_response
from core.paging import paginate
from risks.case_signals import case_signal_get, case_signal_save
from risks.forms_loop import CaseSignalForm
from whistleblowers import disclosure, services
from whistleblowers.choices import CaseStatus, MessageAuthor, NoticeChannel
from whistleblowers.export import report_journal_xlsx
from whistleblowers.filtersets import ReportFilterSet
from whistleblowers.forms import (
    AssignForm,
    DisclosureForm,
    DisclosureNoticeForm,
    ForwardingForm,
    IdentityForm,
    InformedForm,
    NoticeWithdrawForm,
    OffenceSignsForm,
    OfficerMessageForm,
    OutcomeForm,
    RetentionHoldForm,
    StaffReportForm,
    StatusForm,
    SummaryForm,
)
from whistleblowers.models import CaseErasure, DisclosureNotice, IdentityAccess, ReporterIdentity
from whistleblowers.permissions import may_read_case_statistics, require_officer
from whistleblowers.security import strict_headers
from whistleblowers.selectors import (
    anonymised_counts,
    attachment_get,
    journal_rows,
    officer_organisations,
    report_deadlines,
    report_disclosure_notices,
    report_get,
    report_messages,
    report_queryset,
    rules_by_organisation,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 100


def _filtered_rows(request: HttpRequest):
    filterset = ReportFilterSet(
        request.GET or None,
        queryset=report_queryset(user=request.user).prefetch_related("forwardings"),
    )
    # A filter the form refuses (a year of 0) shows its error and no rows: all rows would read as its result.
    rows = journal_rows(filterset.qs) if not filterset.errors else []
    if filterset.overdue_only:
        rows = [row for row in rows if row.overdue]
    return filterset, rows


@login_required
@strict_headers
def report_list(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    filterset, rows = _filtered_rows(request)
    page, query = paginate(request, rows, PAGE_SIZE)
    return render(
        request,
        "whistleblowers/officer/report_list.html",
        {"filter": filterset, "page": page, "query": query, "total": len(rows)},
        status=400 if filterset.errors else 200,
    )


@login_required
@strict_headers
def report_export(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    filterset, rows = _filtered_rows(request)
    if filterset.errors:
        fields = filterset.form.fields
        problems = [
            f"{fields[name].label}: {error}" if name in fields else str(error)
            for name, errors in filterset.errors.items()
            for error in errors
        ]
        return HttpResponse("\n".join(problems), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(report_journal_xlsx(rows), content_type=XLSX)
    audit_record(AuditAction.EXPORTED, request=request, document="whistleblower reports", rows=len(rows))
    response["Content-Disposition"] = f'attachment; filename="whistleblower-reports-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
@strict_headers
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    """Registering a report that came by phone, e-mail, post, in person or through NAZK's portal."""
    require_officer(request.user)
    organisations = officer_organisations(user=request.user)
    form = StaffReportForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received_at = timezone.make_aware(datetime.combine(data["received_on"], time(9, 0)))
        try:
            report = services.report_create_by_staff(
                organisation=data["organisation"],
                user=request.user,
                channel=data["channel"],
                received_at=min(received_at, timezone.now()),
                basis_of_knowledge=data["basis_of_knowledge"],
                details=data["details"],
                summary=data["summary"],
                accused=data["accused"],
                place_and_time=data["place_and_time"],
                concerns_head=data["concerns_head"],
                is_anonymous=data["is_anonymous"],
                full_name=data["full_name"],
                contacts=data["contacts"],
                position=data["position"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Report %(number)s registered.") % {"number": report.registration_number})
            return redirect("whistleblowers:report-detail", pk=report.pk)
    return render(
        request, "whistleblowers/officer/report_create.html", {"form": form}, status=400 if form.errors else 200
    )


def _disclosure_rows(report, notice_forms: dict) -> list[dict]:
    """Each notice of the case with the forms for its next step; a form sent with an error comes back as it was."""
    today = timezone.localdate()
    rows = []
    for notice in report_disclosure_notices(report=report):
        row = {"notice": notice, "state": notice.state_on(today)}
        if notice.pending:
            row["disclose_form"] = DisclosureForm(notice=notice, initial={"disclosed_on": today})
            row["withdraw_form"] = NoticeWithdrawForm(notice=notice)
        # A refused step shows its error even when the notice has just been disclosed or withdrawn by someone else.
        row.update({f"{step}_form": form for (pk, step), form in notice_forms.items() if pk == notice.pk})
        rows.append(row)
    return rows


def _signal_initial(report) -> dict:
    signal = case_signal_get(report=report)
    if signal is None:
        return {}
    return {
        "function": signal.function,
        "process": signal.process,
        "risk": signal.risk_id,
        "proposed_risk": signal.proposed_risk,
    }


def _detail(
    request: HttpRequest, report, *, status: int = 200, notice_forms: dict | None = None, **bound
) -> HttpResponse:
    rules = rules_by_organisation([report.organisation_id])[report.organisation_id]
    forms = {
        "summary_form": SummaryForm(
            initial={
                "summary": report.summary,
                "concerns_head": report.concerns_head,
                "accused_unit": report.accused_unit_id,
            },
            report=report,
        ),
        "assign_form": AssignForm(initial={"assignee": report.assignee_id}, report=report),
        "status_form": StatusForm(report=report, initial={"on": timezone.localdate()}),
        "forwarding_form": ForwardingForm(initial={"sent_on": timezone.localdate()}),
        "outcome_form": OutcomeForm(initial={"outcome": report.outcome}),
        "informed_form": InformedForm(initial={"informed_on": report.reporter_informed_on or timezone.localdate()}),
        "retention_hold_form": RetentionHoldForm(initial={"retention_hold": report.retention_hold}, report=report),
        "offence_form": OffenceSignsForm(initial={"found_on": report.offence_signs_found_on or timezone.localdate()}),
        "message_form": OfficerMessageForm(),
        "signal_form": CaseSignalForm(report=report, initial=_signal_initial(report)),
        "disclosure_notice_form": DisclosureNoticeForm(
            report=report,
            initial={
                "notified_on": timezone.localdate(),
                "channel": NoticeChannel.PORTAL if report.receipt_hash else NoticeChannel.CONTACTS,
            },
        ),
    }
    forms.update(bound)
    erasure = CaseErasure.objects.filter(report=report).first()
    # A parent body's officer reads a case forwarded to it but does not handle it (AccessRule.shared_with); an
    # erased case is a registration record only, which nobody changes any more.
    can_change = (
        erasure is None and report_queryset(user=request.user, action=Action.CHANGE).filter(pk=report.pk).exists()
    )
    context = {
        "report": report,
        "erasure": erasure,
        "deadlines": report_deadlines(report, rules),
        "messages_list": list(report_messages(report=report)),
        "attachments": [a for a in report.attachments.all() if a.message_id is None],
        "forwardings": list(report.forwardings.all()),
        "has_identity": erasure is None and ReporterIdentity.objects.filter(report=report).exists(),
        "disclosure_rows": _disclosure_rows(report, notice_forms or {}),
        "rules": rules,
        "can_extend": report.status == CaseStatus.VERIFICATION and not report.verification_extended,
        "can_change": can_change,
        **forms,
    }
    response = render(request, "whistleblowers/officer/report_detail.html", context, status=status)
    if can_change:  # a reader who does not handle the case must not hide new messages from the one who does
        services.messages_mark_read(report=report, author=MessageAuthor.REPORTER)
    return response


@login_required
@strict_headers
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, report_get(user=request.user, pk=pk))


# Each action: the form that validates it, and how its cleaned data reaches a service.
ACTIONS = {
    "register": (None, lambda report, data, user: services.report_register(report=report, user=user)),
    "summary": (
        SummaryForm,
        lambda report, data, user: services.report_update_summary(
            report=report,
            expected_version=data.get("version"),
            **{name: value for name, value in data.items() if name != "version"},
        ),
    ),
    "assign": (AssignForm, lambda report, data, user: services.report_assign(report=report, assignee=data["assignee"])),
    "status": (
        StatusForm,
        lambda report, data, user: services.report_change_status(
            report=report, status=data["status"], on=data["on"], outcome=data["outcome"]
        ),
    ),
    "extend": (None, lambda report, data, user: services.report_extend_verification(report=report)),
    "forwarding": (ForwardingForm, lambda report, data, user: services.forwarding_create(report=report, **data)),
    "outcome": (OutcomeForm, lambda report, data, user: services.report_update_outcome(report=report, **data)),
    "informed": (InformedForm, lambda report, data, user: services.report_mark_informed(report=report, **data)),
    "retention-hold": (
        RetentionHoldForm,
        lambda report, data, user: services.report_set_retention_hold(
            report=report, retention_hold=data["retention_hold"], expected_version=data.get("version")
        ),
    ),
    "offence": (
        OffenceSignsForm,
        lambda report, data, user: services.report_record_offence_signs(report=report, found_on=data["found_on"]),
    ),
    "message": (
        OfficerMessageForm,
        lambda report, data, user: services.message_send_by_officer(report=report, user=user, body=data["body"]),
    ),
    "signal": (
        CaseSignalForm,
        lambda report, data, user: case_signal_save(report=report, **data),
    ),
    "disclosure-notice": (
        DisclosureNoticeForm,
        lambda report, data, user: disclosure.disclosure_notice_create(report=report, user=user, **data),
    ),
}
FORM_NAMES = {
    "summary": "summary_form",
    "assign": "assign_form",
    "status": "status_form",
    "forwarding": "forwarding_form",
    "outcome": "outcome_form",
    "informed": "informed_form",
    "retention-hold": "retention_hold_form",
    "offence": "offence_form",
    "message": "message_form",
    "disclosure-notice": "disclosure_notice_form",
    "signal": "signal_form",
}
REPORT_FORMS = (SummaryForm, AssignForm, StatusForm, DisclosureNoticeForm, CaseSignalForm, RetentionHoldForm)


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


# What each action's confirmation says was saved, from the report as saved and the form's data.
CONFIRMATIONS = {
    "register": lambda report, data: _("Report registered as No. %(number)s.") % {"number": report.registration_number},
    "summary": lambda report, data: _("The journal entry is saved."),
    "assign": lambda report, data: _("The case is assigned to %(person)s.") % {"person": _person(data["assignee"])},
    "status": lambda report, data: _("The status is now “%(status)s”.") % {"status": report.get_status_display()},
    "extend": lambda report, data: _("Verification is extended."),
    "forwarding": lambda report, data: (
        _("Forwarding to %(recipient)s of %(date)s (No. %(number)s) is recorded.")
        % {
            "recipient": dict(ForwardingForm.base_fields["recipient"].choices).get(data["recipient"], ""),
            "date": _day(data["sent_on"]),
            "number": data["outgoing_number"],
        }
    ),
    "outcome": lambda report, data: _("The outcome is saved."),
    "informed": lambda report, data: (
        _("Recorded: the whistleblower was informed on %(date)s.") % {"date": _day(data["informed_on"])}
    ),
    "offence": lambda report, data: (
        _("Recorded: signs of an offence were found on %(date)s. Notify the specially authorised body within 24 hours.")
        % {"date": _day(data["found_on"])}
    ),
    "retention-hold": lambda report, data: (
        _("The case is kept beyond its retention period.")
        if report.retention_hold
        else _("The hold is lifted: the case is erased when its retention period ends.")
    ),
    "message": lambda report, data: _("The message is sent to the whistleblower."),
    "disclosure-notice": lambda report, data: _("The notice to the whistleblower is recorded."),
    "signal": lambda report, data: _("The case is tagged for the risk register (counts only)."),
}


def _refused_as_erased(request: HttpRequest, report) -> bool:
    """A form opened before the case was erased is answered with what happened, not a server error."""
    if not CaseErasure.objects.filter(report=report).exists():
        return False
    messages.error(request, _("This case was erased under the retention rule; only its registration record is kept."))
    return True


@login_required
@strict_headers
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    report = report_get(user=request.user, pk=pk, action=Action.CHANGE)
    if _refused_as_erased(request, report):
        return redirect("whistleblowers:report-detail", pk=report.pk)
    form_class, perform = ACTIONS[action]
    form = None
    if form_class is not None:
        kwargs = {"report": report} if form_class in REPORT_FORMS else {}
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            return _detail(request, report, status=400, **{FORM_NAMES[action]: form})
    try:
        perform(report, form.cleaned_data if form else {}, request.user)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("whistleblowers:report-detail", pk=report.pk)
        form.add_error(None, error)
        status = 409 if isinstance(error, ConcurrentEditError) else 400
        return _detail(request, report, status=status, **{FORM_NAMES[action]: form})
    report.refresh_from_db()
    messages.success(request, CONFIRMATIONS[action](report, form.cleaned_data if form else {}))
    return redirect("whistleblowers:report-detail", pk=report.pk)


# The steps that follow a disclosure notice: the disclosure itself, or its withdrawal.
NOTICE_STEPS = {
    "disclose": (
        DisclosureForm,
        lambda notice, data, user: disclosure.disclosure_record(
            notice=notice, user=user, disclosed_on=data["disclosed_on"], note=data["note"]
        ),
    ),
    "withdraw": (
        NoticeWithdrawForm,
        lambda notice, data, user: disclosure.disclosure_notice_withdraw(
            notice=notice, user=user, reason=data["reason"]
        ),
    ),
}


@login_required
@strict_headers
@require_POST
def disclosure_notice_step(request: HttpRequest, pk: int, notice_pk: int, step: str) -> HttpResponse:
    """The disclosure under a notice, or the notice's withdrawal; the notice must belong to the officer's case."""
    if step not in NOTICE_STEPS:
        raise Http404
    report = report_get(user=request.user, pk=pk, action=Action.CHANGE)
    if _refused_as_erased(request, report):
        return redirect("whistleblowers:report-detail", pk=report.pk)
    notice = get_object_or_404(
        DisclosureNotice.objects.restrict(request.user, Action.CHANGE), report=report, pk=notice_pk
    )
    form_class, perform = NOTICE_STEPS[step]
    form = form_class(request.POST, notice=notice)
    if form.is_valid():
        try:
            perform(notice, form.cleaned_data, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = _("The disclosure is recorded.") if step == "disclose" else _("The notice is withdrawn.")
            messages.success(request, done)
            return redirect("whistleblowers:report-detail", pk=report.pk)
    return _detail(request, report, status=400, notice_forms={(notice.pk, step): form})


@login_required
@strict_headers
@require_http_methods(["GET", "POST"])
def report_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """The identity is shown only after the officer states why; each showing is recorded."""
    report = report_get(user=request.user, pk=pk)
    identity = get_object_or_404(
        ReporterIdentity.objects.restrict(request.user).filter(report__erasure__isnull=True), report=report
    )
    form = IdentityForm(request.POST or None)
    rules = rules_by_organisation([report.organisation_id])[report.organisation_id]
    context = {"report": report, "form": form, "notice_days": rules.disclosure_notice_working_days}
    if request.method == "POST" and form.is_valid():
        try:
            context["identity"] = services.identity_read(
                report=report, user=request.user, purpose=form.cleaned_data["purpose"]
            )
        except ValidationError as error:
            form.add_error(None, error)
    context["accesses"] = IdentityAccess.objects.filter(identity=identity).select_related("user")[:50]
    return render(request, "whistleblowers/officer/identity.html", context, status=400 if form.errors else 200)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = attachment_get(user=request.user, pk=pk)
    # The whistleblower's name for the file, with the extension of what its content was found to be.
    response = private_file_response(
        attachment.file,
        name=attachment.original_name or attachment.file.name,
        extension=os.path.splitext(attachment.file.name)[1],
    )
    # Named by id only: the whistleblower's file name may say who they are.
    audit_record(
        AuditAction.EXPORTED,
        request=request,
        organisation=attachment.report.organisation,
        target=attachment.report,
        attachment=attachment.pk,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@strict_headers
def statistics(request: HttpRequest) -> HttpResponse:
    """Numbers only, for managers and secretaries who must know the channel works but not what it carries."""
    if not may_read_case_statistics(request.user):
        raise Http404
    labels = dict(CaseStatus.choices)
    rows = [
        {**row, "status_label": labels.get(row["status"], row["status"])}
        for row in anonymised_counts(user=request.user)
    ]
    return render(request, "whistleblowers/statistics.html", {"rows": rows})


# --- inducement notifications --------------------------------------------------------------------------------------
