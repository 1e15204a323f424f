"""The administrators' page of the audit trail and its CSV download (who may read it: `selectors.may_read_audit`;
anyone else gets 404, as for any object outside their scope)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.choices import AuditAction
from audit.export import events_csv
from audit.filtersets import AuditEventFilterSet
from audit.selectors import audit_event_list, may_read_audit
from audit.services import record
from core.paging import paginate

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> AuditEventFilterSet:
    if not may_read_audit(request.user):
        raise Http404
    return AuditEventFilterSet(request.GET or None, queryset=audit_event_list(user=request.user))


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    valid = filterset.is_valid() if filterset.is_bound else True
    events = filterset.qs if valid else filterset.queryset.none()
    page, query = paginate(request, events, PAGE_SIZE)
    return render(
        request,
        "audit/event_list.html",
        {"filter": filterset, "page": page, "query": query},
        status=200 if valid else 400,
    )


@login_required
def event_export(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        fields = filterset.form.fields
        problems = [
            f"{fields[name].label}: {error}" if name in fields else str(error)
            for name, errors in filterset.form.errors.items()
            for error in errors
        ]
        return HttpResponse("\n".join(problems), status=400, content_type="text/plain; charset=utf-8")
    out = io.StringIO()
    # A byte order mark, so that a spreadsheet program opens the Ukrainian text as UTF-8.
    out.write("\ufeff")
    events_csv(filterset.qs.iterator(chunk_size=2000), out)
    record(AuditAction.EXPORTED, request=request, document="audit trail", filters=request.GET.urlencode())
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{timezone.localdate():%Y%m%d}.csv"'
    return response
