"""Risk register pages, included under /programs/<program_pk>/risks/."""

from django.urls import path

from . import views, views_loop

app_name = "risks"
urlpatterns = [
    path("", views.risk_list_view, name="list"),
    path("new/", views.risk_create_view, name="create"),
    path("heatmap/", views.risk_heatmap_view, name="heatmap"),
    path("export.xlsx", views.risk_export_view, name="export"),
    path("signals/", views_loop.risk_signals_view, name="signals"),
    path("residual/", views_loop.residual_review_view, name="residual"),
    path("<int:pk>/", views.risk_detail_view, name="detail"),
    path("<int:pk>/edit/", views.risk_update_view, name="update"),
    path("<int:pk>/delete/", views.risk_delete_view, name="delete"),
    path("<int:pk>/residual/", views_loop.residual_decide_view, name="residual-decide"),
]
