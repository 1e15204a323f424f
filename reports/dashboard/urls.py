"""The dashboard page; included from config/urls.py as path("dashboard/", include("reports.dashboard.urls"))."""

from django.urls import path

from reports.dashboard import views as views_dashboard

app_name = "dashboard"
urlpatterns = [
    path("", views_dashboard.dashboard_view, name="index"),
]
