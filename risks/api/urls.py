from rest_framework.routers import SimpleRouter

from risks.api import matrices, reassessment, views

router = SimpleRouter()
router.register("risks", views.RiskViewSet, basename="risk")
router.register("risk-matrices", matrices.RiskMatrixViewSet, basename="risk-matrix")
router.register("reassessment-rounds", reassessment.ReassessmentRoundViewSet, basename="reassessment-round")
urlpatterns = router.urls
