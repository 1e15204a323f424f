"""The officer's journal of inducement notifications (повідомлення про схиляння): list, export, register, edit.

Every notification comes through `restrict`, so anyone but the officer of the organisation gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.choices import AuditAction
from audit.services import record as audit_record
from core.access import Action
from core.concurrency import ConcurrentEditError
from core.paging import paginate
from whistleblowers import services
from whistleblowers.export import inducement_journal_xlsx
from whistleblowers.filtersets import InducementFilterSet
from whistleblowers.forms import InducementForm
from whistleblowers.permissions import require_officer
from whistleblowers.security import strict_headers
from whistleblowers.selectors import inducement_queryset, officer_organisations
from whistleblowers.views_officer import PAGE_SIZE, XLSX


@login_required
@strict_headers
def inducement_list(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    filterset = InducementFilterSet(request.GET or None, queryset=inducement_queryset(user=request.user))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(inducement_journal_xlsx(filterset.qs), content_type=XLSX)
        audit_record(AuditAction.EXPORTED, request=request, document="inducement notifications")
        response["Content-Disposition"] = 'attachment; filename="inducement-notifications.xlsx"'
        return response
    page, query = paginate(request, filterset.qs, PAGE_SIZE)
    return render(
        request, "whistleblowers/officer/inducement_list.html", {"filter": filterset, "page": page, "query": query}
    )


@login_required
@strict_headers
@require_http_methods(["GET", "POST"])
def inducement_create(request: HttpRequest) -> HttpResponse:
    require_officer(request.user)
    form = InducementForm(
        request.POST or None,
        organisations=officer_organisations(user=request.user),
        initial={"registered_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "organisation"}
        notification = services.inducement_create(organisation=form.cleaned_data["organisation"], **data)
        messages.success(request, _("Notification %(number)s registered.") % {"number": notification})
        return redirect("whistleblowers:inducement-list")
    return render(
        request, "whistleblowers/officer/inducement_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@strict_headers
@require_http_methods(["GET", "POST"])
def inducement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(inducement_queryset(user=request.user, action=Action.CHANGE), pk=pk)
    form = InducementForm(request.POST or None, instance=notification)
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            services.inducement_update(
                notification=notification, expected_version=form.expected_version(), **form.data_without_version()
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = 409 if isinstance(error, ConcurrentEditError) else 400
        else:
            messages.success(request, _("Saved."))
            return redirect("whistleblowers:inducement-list")
    return render(
        request,
        "whistleblowers/officer/inducement_form.html",
        {"form": form, "notification": notification},
        status=status if form.errors else 200,
    )
