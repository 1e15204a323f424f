"""The dashboard page; included from config/urls.py as path("dashboard/", include("reports.dashboard.urls"))."""

from django.urls import path

from reports.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_view, name="index"),
]
