from django.urls import path

from whistleblowers import views_inducement, views_officer, views_public

app_name = "whistleblowers"
urlpatterns = [
    # The officer's registry (officer only; everyone else gets 404).
    path("reports/", views_officer.report_list, name="report-list"),
    path("reports/export.xlsx", views_officer.report_export, name="report-export"),
    path("reports/new/", views_officer.report_create, name="report-create"),
    path("reports/<int:pk>/", views_officer.report_detail, name="report-detail"),
    path("reports/<int:pk>/identity/", views_officer.report_identity, name="report-identity"),
    path("reports/<int:pk>/<slug:action>/", views_officer.report_action, name="report-action"),
    path(
        "reports/<int:pk>/disclosure-notices/<int:notice_pk>/<slug:step>/",
        views_officer.disclosure_notice_step,
        name="disclosure-notice-step",
    ),
    path("attachments/<int:pk>/", views_officer.attachment_download, name="attachment-download"),
    path("statistics/", views_officer.statistics, name="statistics"),
    path("inducements/", views_inducement.inducement_list, name="inducement-list"),
    path("inducements/new/", views_inducement.inducement_create, name="inducement-create"),
    path("inducements/<int:pk>/", views_inducement.inducement_edit, name="inducement-edit"),
    # Public pages, addressed by the organisation's short name under "report/", so no name can collide with the
    # registry. A public body's name is public and its form is meant to be linked from its website; what must be
    # unguessable is the receipt, not the address of the form.
    path("", views_public.organisation_index, name="public-index"),
    path("report/<str:short_name>/", views_public.report_form, name="public-form"),
    path("report/<str:short_name>/receipt/", views_public.receipt_confirm, name="public-receipt"),
    path("report/<str:short_name>/follow-up/", views_public.follow_up, name="public-follow-up"),
]
