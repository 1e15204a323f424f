from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from programs import views_people, views_second_factor
from programs.lockout import LockoutAuthenticationForm
from reports.execution import views_todo

urlpatterns = [
    path("", views_todo.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LockoutAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", views_second_factor.verify, name="second-factor-verify"),
    path("accounts/second-factor/enrol/", views_second_factor.enrol, name="second-factor-enrol"),
    path("accounts/security/", views_second_factor.account_security, name="account-security"),
    path("accounts/security/recovery-codes/", views_second_factor.recovery_codes_new, name="account-recovery-codes"),
    path("accounts/security/turn-off/", views_second_factor.second_factor_off, name="account-second-factor-off"),
    path("accounts/invitation/<str:token>/", views_people.accept, name="invitation-accept"),
    path(
        "accounts/password-reset/",
        views_people.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("programs/", include("programs.urls")),
    path("programs/<int:program_pk>/risks/", include("risks.urls")),
    path("programs/<int:program_pk>/measures/", include("measures.urls")),
    path("reports/", include("reports.urls")),
    path("whistleblowing/", include("whistleblowers.urls")),
    path("dashboard/", include("reports.dashboard.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The documentation pages are for signed-in users (the schema itself answers 403 without credentials); the
    # "split" Swagger view serves its start-up script as a file, so the page needs no inline script.
    path("api/v1/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/v1/redoc/", login_required(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
]

# Under /api/ an address that matches no route answers the API's JSON error body (core.api.errors).
handler404 = "core.api.errors.not_found"
