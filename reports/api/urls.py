from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.documents.api import views as documents
from reports.execution.api import in_force, periods, views

router = SimpleRouter()
router.register("reporting-periods", views.ReportingPeriodViewSet, basename="reporting-period")
router.register("execution-entries", views.ExecutionEntryViewSet, basename="execution-entry")
router.register("reports", documents.GeneratedReportViewSet, basename="report")
router.register("evaluations", periods.EvaluationViewSet, basename="evaluation")
router.register("evidence", periods.EvidenceViewSet, basename="evidence")
urlpatterns = [
    path("programs/<int:pk>/in-force/", in_force.ProgramInForceView.as_view(), name="program-in-force"),
    *router.urls,
]
