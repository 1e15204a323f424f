"""The dashboard page for managers, the commission, the secretary and the officer.

The page renders every number server-side as tables from the same selectors as /api/v1/dashboard/…, so it works
without JavaScript and prints cleanly; static/reports/dashboard/dashboard.js turns the tables' JSON data island into
charts where scripts run.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.access import Action
from core.periods import PERIOD_READING_ORDER
from programs.models import Organisation, Program, Unit
from reports.dashboard import selectors as dashboard
from reports.execution.models import ReportingPeriod
from reports.permissions import may_open_dashboard
from risks import dashboard as risk_dashboard


class DashboardFilterForm(forms.Form):
    """Organisation → program → period → unit; each list holds only what the user may see."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), required=False)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none(), required=False)
    period = forms.ModelChoiceField(label=_("Period"), queryset=ReportingPeriod.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.restrict(user, Action.VIEW).order_by("name")
        programs = dashboard.dashboard_programs(user=user)
        organisation_id = self._raw_id("organisation")
        if organisation_id:
            programs = programs.filter(organisation=organisation_id)
        self.fields["program"].queryset = programs
        program_id = self._raw_id("program")
        if program_id:
            self.fields["period"].queryset = (
                ReportingPeriod.objects.restrict(user, Action.VIEW)
                .filter(program=program_id)
                .order_by(*PERIOD_READING_ORDER)
            )
            self.fields["unit"].queryset = Unit.objects.restrict(user, Action.VIEW).filter(
                organisation__programs=program_id
            )

    def _raw_id(self, name: str) -> int | None:
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        return int(value) if value and str(value).isdigit() and len(str(value)) < 10 else None


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    if not may_open_dashboard(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None, user=request.user)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    program = cleaned.get("program")
    if program is None:
        program = form.fields["program"].queryset.filter(status__in=dashboard.ACTIVE_PROGRAM_STATUSES).first()
        program = program or form.fields["program"].queryset.first()
    context = {"form": form, "program": program}
    if program is not None:
        periods = list(dashboard.dashboard_periods(user=request.user, program=program))
        period = cleaned.get("period") or dashboard.default_period(periods)
        if period is not None and period.program_id != program.pk:
            period = dashboard.default_period(periods)
        unit = cleaned.get("unit")
        if unit is not None and unit.organisation_id != program.organisation_id:
            unit = None
        organisation = program.organisation
        context.update(
            period=period,
            periods=periods,
            unit=unit,
            organisation=organisation,
            trend=dashboard.program_trend(user=request.user, program=program, unit=unit),
            heatmap=dashboard.risk_heatmap(user=request.user, program=program),
        )
        if period is not None:
            summary = dashboard.program_summary(user=request.user, program=program, period=period, unit=unit)
            context["summary"] = summary
            context["status_rows"] = [
                {"status": status, "label": summary["status_labels"][status], "count": count}
                for status, count in summary["statuses"].items()
            ]
            if Organisation.objects.filter(parent=organisation).exists():
                comparison = dashboard.comparison_page(
                    user=request.user,
                    organisation=organisation,
                    kind=period.kind,
                    year=period.year,
                    number=period.number,
                    page=request.GET.get("comparison_page"),
                )
                context["comparison"] = comparison["organisations"]
                context["comparison_pages"] = comparison
                query = request.GET.copy()
                query.pop("comparison_page", None)
                context["comparison_query"] = query.urlencode()
        # Issue 16: the risk loop, from its own module (risks/dashboard.py).
        context["residual_points"] = risk_dashboard.residual_over_time(program=program)
        context["signal_window"], context["signal_functions"] = risk_dashboard.signals_per_function(
            user=request.user, program=program
        )
        if organisation.pk in dashboard.whistleblower_organisations(user=request.user):
            context["whistleblowers"] = dashboard.whistleblower_statistics(user=request.user, organisation=organisation)
        if not form.is_bound:
            # Show the program and period the page chose, so the filters read as what is on screen.
            initial = {"organisation": organisation.pk, "program": program.pk, "period": period.pk if period else None}
            context["form"] = DashboardFilterForm(initial=initial, user=request.user)
        context["charts"] = {
            "summary": context.get("summary"),
            "trend": context["trend"],
            "heatmap": context["heatmap"],
        }
    return render(request, "reports/dashboard.html", context)
