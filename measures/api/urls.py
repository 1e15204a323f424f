from rest_framework.routers import SimpleRouter

from measures.api import structure, views

router = SimpleRouter()
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("measure-sections", structure.MeasureSectionViewSet, basename="measure-section")
router.register("tasks", structure.TaskViewSet, basename="task")
urlpatterns = router.urls
