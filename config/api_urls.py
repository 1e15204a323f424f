"""Every API route lives under /api/v1/; each app contributes its own router."""

from django.urls import include, path

urlpatterns = [
    path("", include("programs.api.urls")),
    path("", include("risks.api.urls")),
    path("", include("measures.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("reports.dashboard.api.urls")),
    path("", include("whistleblowers.api.urls")),
]
