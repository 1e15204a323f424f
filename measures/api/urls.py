from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("measures", views.MeasureViewSet, basename="measure")
urlpatterns = router.urls
