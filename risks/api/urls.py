from rest_framework.routers import SimpleRouter

from . import matrices, views

router = SimpleRouter()
router.register("risks", views.RiskViewSet, basename="risk")
router.register("risk-matrices", matrices.RiskMatrixViewSet, basename="risk-matrix")
urlpatterns = router.urls
