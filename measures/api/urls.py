from django.urls import path
from rest_framework.routers import SimpleRouter

from measures.api import structure, views, word_import

router = SimpleRouter()
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("measure-sections", structure.MeasureSectionViewSet, basename="measure-section")
router.register("tasks", structure.TaskViewSet, basename="task")
urlpatterns = [
    path("programs/<int:pk>/word-import/", word_import.ProgramWordImportView.as_view(), name="program-word-import"),
    *router.urls,
]
