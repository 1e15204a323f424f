from django.urls import path
from rest_framework.routers import SimpleRouter

from risks.api import matrices, reassessment, risk_loop, views

router = SimpleRouter()
router.register("risks", views.RiskViewSet, basename="risk")
router.register("risk-matrices", matrices.RiskMatrixViewSet, basename="risk-matrix")
router.register("reassessment-rounds", reassessment.ReassessmentRoundViewSet, basename="reassessment-round")
urlpatterns = [
    *router.urls,
    path("dashboard/risk-loop/", risk_loop.RiskLoopView.as_view(), name="dashboard-risk-loop"),
]
