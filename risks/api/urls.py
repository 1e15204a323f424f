from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("risks", views.RiskViewSet, basename="risk")
urlpatterns = router.urls
