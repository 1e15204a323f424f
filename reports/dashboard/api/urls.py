"""Dashboard endpoints; included from config/api_urls.py under /api/v1/."""

from django.urls import path

from reports.dashboard.api import risk_loop
from reports.dashboard.api import views as dashboard

urlpatterns = [
    path("dashboard/summary/", dashboard.SummaryView.as_view(), name="dashboard-summary"),
    path("dashboard/trend/", dashboard.TrendView.as_view(), name="dashboard-trend"),
    path("dashboard/heatmap/", dashboard.HeatmapView.as_view(), name="dashboard-heatmap"),
    path("dashboard/organisations/", dashboard.ComparisonView.as_view(), name="dashboard-organisations"),
    path("dashboard/whistleblowers/", dashboard.WhistleblowerStatisticsView.as_view(), name="dashboard-whistleblowers"),
    path("dashboard/risk-loop/", risk_loop.RiskLoopView.as_view(), name="dashboard-risk-loop"),
]
