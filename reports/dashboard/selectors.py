"""Dashboard aggregates: where a program stands in a period, its trend, the risk heat map, the organisations side by
side, whistleblower numbers.

Counts are grouped by the database: each measure's status and due-ness in a period are SQL expressions
(`placed.placed_measures`, due-ness from `measures.deadlines_sql`, the twin of `measures.deadlines.standing_of` the
grid and the PDF use), so the dashboard and the grid never disagree and no measure is read into Python to be counted.
All rows come through `restrict`, so a user sees only the numbers of what they may see.
"""

from reports.dashboard.common import (
    ACTIVE_PROGRAM_STATUSES,
    NO_RISK,
    STATUS_ORDER,
    dashboard_periods,
    dashboard_programs,
    dashboard_units,
    default_period,
    empty_status_counts,
    program_ref,
    status_label,
)
from reports.dashboard.comparison import COMPARISON_PAGE_SIZE, comparison_page, organisation_comparison
from reports.dashboard.heatmap import risk_heatmap
from reports.dashboard.placed import MISSING
from reports.dashboard.summary import program_summary, program_trend
from whistleblowers.selectors import whistleblower_organisations, whistleblower_statistics

__all__ = [
    "ACTIVE_PROGRAM_STATUSES",
    "COMPARISON_PAGE_SIZE",
    "MISSING",
    "NO_RISK",
    "STATUS_ORDER",
    "comparison_page",
    "dashboard_periods",
    "dashboard_programs",
    "dashboard_units",
    "default_period",
    "empty_status_counts",
    "organisation_comparison",
    "program_ref",
    "program_summary",
    "program_trend",
    "risk_heatmap",
    "status_label",
    "whistleblower_organisations",
    "whistleblower_statistics",
]
