"""Measure pages, included under /programs/<program_pk>/measures/."""

from django.urls import path

from measures import views, views_word

app_name = "measures"
urlpatterns = [
    path("", views.measure_list_view, name="list"),
    path("new/", views.measure_create_view, name="create"),
    path("sections/new/", views.measure_section_create_view, name="section-create"),
    path("export.xlsx", views.measure_export_view, name="export"),
    path("import/", views.measure_import_view, name="import"),
    path("import/template.xlsx", views.measure_import_template_view, name="import-template"),
    path("import/<str:token>/", views.measure_import_preview_view, name="import-preview"),
    # A whole program from Word: its sections, risks and measures (the risks and sections are written here too, since
    # the measures of the file treat them).
    path("import-word/", views_word.word_import, name="word-import"),
    path("import-word/<str:token>/", views_word.word_import_preview, name="word-import-preview"),
    path("<int:pk>/", views.measure_detail_view, name="detail"),
    path("<int:pk>/edit/", views.measure_update_view, name="update"),
    path("<int:pk>/delete/", views.measure_delete_view, name="delete"),
]
