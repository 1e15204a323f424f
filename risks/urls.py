"""Risk register pages, included under /programs/<program_pk>/risks/."""

from django.urls import path

from . import views

app_name = "risks"
urlpatterns = [
    path("", views.risk_list_view, name="list"),
    path("new/", views.risk_create_view, name="create"),
    path("heatmap/", views.risk_heatmap_view, name="heatmap"),
    path("export.xlsx", views.risk_export_view, name="export"),
    path("<int:pk>/", views.risk_detail_view, name="detail"),
    path("<int:pk>/edit/", views.risk_update_view, name="update"),
    path("<int:pk>/delete/", views.risk_delete_view, name="delete"),
]
