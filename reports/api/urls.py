from rest_framework.routers import SimpleRouter

from . import documents, views

router = SimpleRouter()
router.register("reporting-periods", views.ReportingPeriodViewSet, basename="reporting-period")
router.register("execution-entries", views.ExecutionEntryViewSet, basename="execution-entry")
router.register("reports", documents.GeneratedReportViewSet, basename="report")
urlpatterns = router.urls
