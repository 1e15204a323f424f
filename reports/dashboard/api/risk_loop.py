"""The risk loop over the API: the dashboard's residual-against-inherent points and cases per function.

The same numbers as the dashboard page (risks/dashboard.py), under the dashboard's rule of who reads them; a count
below the threshold is null with `fewer_than`, for everyone but the officer.
"""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from reports.dashboard.api.views import DEFAULT_RESPONSES, DashboardView, ProgramParams
from risks import dashboard as risk_dashboard
from risks.case_signals import SIGNAL_THRESHOLD


class RiskLoopView(DashboardView):
    """Residual against inherent risk after each settled period, and whistleblower cases per function (counts)."""

    params_class = ProgramParams

    @extend_schema(parameters=[ProgramParams], responses=DEFAULT_RESPONSES)
    def get(self, request):
        program = self.params(request)["program"]
        window, functions = risk_dashboard.signals_per_function(user=request.user, program=program)
        return Response(
            {
                "residual_over_time": [asdict(point) for point in risk_dashboard.residual_over_time(program=program)],
                "signals": {
                    "since": window.since,
                    "until": window.until,
                    "fewer_than": SIGNAL_THRESHOLD,
                    "functions": [
                        {"function": function, "name": label, "cases": count.shown}
                        for function, label, count in functions
                    ],
                },
            }
        )
