from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("units", views.UnitViewSet, basename="unit")
router.register("programs", views.ProgramViewSet, basename="program")
urlpatterns = router.urls
