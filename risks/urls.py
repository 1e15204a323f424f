"""Risk register pages, included under /programs/<program_pk>/risks/."""

from django.urls import path

from risks import views, views_loop, views_reassessment

app_name = "risks"
urlpatterns = [
    path("", views.risk_list_view, name="list"),
    path("new/", views.risk_create_view, name="create"),
    path("heatmap/", views.risk_heatmap_view, name="heatmap"),
    path("export.xlsx", views.risk_export_view, name="export"),
    path("signals/", views_loop.risk_signals_view, name="signals"),
    path("residual/", views_loop.residual_review_view, name="residual"),
    path("reassessments/", views_reassessment.reassessment_list_view, name="rounds"),
    path("reassessments/open/", views_reassessment.reassessment_open_view, name="round-open"),
    path("reassessments/<int:pk>/", views_reassessment.round_view, name="round"),
    path("reassessments/<int:pk>/risks/<int:risk_pk>/", views_reassessment.round_assess_view, name="round-assess"),
    path("reassessments/<int:pk>/decision/", views_reassessment.round_decide_view, name="round-decide"),
    path("<int:pk>/", views.risk_detail_view, name="detail"),
    path("<int:pk>/edit/", views.risk_update_view, name="update"),
    path("<int:pk>/delete/", views.risk_delete_view, name="delete"),
    path("<int:pk>/residual/", views_loop.residual_decide_view, name="residual-decide"),
]
