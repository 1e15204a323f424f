from django.urls import path

from reports.documents import views
from reports.execution import views as views_execution
from reports.execution import views_in_force, views_review

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("programs/<int:program_pk>/request/", views.program_report_request, name="request"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/try-again/", views.report_try_again, name="try-again"),
    path("<int:pk>/publication/", views.report_publication, name="publication"),
    path(
        "programs/<int:program_pk>/reassessments/<int:pk>/register-pdf/",
        views.risk_register_request,
        name="risk-register-request",
    ),
    path("journals/request/", views.journal_request, name="journal-request"),
    path("published/", views.published_index, name="published-index"),
    path("published/<int:organisation_pk>/", views.published_reports, name="published"),
    path("published/file/<int:pk>/", views.published_download, name="published-download"),
    # Quarterly execution reporting
    path("programs/<int:program_pk>/periods/", views_execution.program_periods, name="program-periods"),
    path("programs/<int:program_pk>/in-force/", views_in_force.program_in_force, name="in-force"),
    path("my/", views_execution.my_periods, name="my-periods"),
    path("periods/<int:pk>/", views_execution.period_detail, name="period"),
    path("periods/<int:pk>/measures/<int:measure_pk>/", views_execution.entry_detail, name="entry"),
    path("periods/<int:pk>/measures/<int:measure_pk>/save/", views_execution.grid_save, name="grid-save"),
    path("periods/<int:pk>/measures/<int:measure_pk>/copy/", views_execution.entry_copy, name="entry-copy"),
    path("evidence/<int:pk>/delete/", views_execution.evidence_remove, name="evidence-delete"),
    path("evidence/<int:pk>/file/", views_execution.evidence_file, name="evidence-file"),
    path("periods/<int:pk>/open-early/", views_review.period_opening, name="open-early"),
    path("periods/<int:pk>/remind/", views_review.period_reminders, name="remind"),
    path("periods/<int:pk>/review/", views_review.period_review, name="review"),
    path("periods/<int:pk>/send-for-review/", views_review.period_send_review, name="send-for-review"),
    path("periods/<int:pk>/conclusion/", views_review.period_conclusion, name="conclusion"),
    path("periods/<int:pk>/approve/", views_review.period_approval, name="approve"),
    path("periods/<int:pk>/reopen/", views_review.period_reopening, name="reopen"),
    path("periods/<int:pk>/findings/", views_review.period_findings, name="findings"),
    path("entries/<int:entry_pk>/evaluation/", views_review.entry_evaluation, name="evaluation"),
]
