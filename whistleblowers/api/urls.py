from rest_framework.routers import SimpleRouter

from whistleblowers.api import views

router = SimpleRouter()
router.register("whistleblower-reports", views.WhistleblowerReportViewSet, basename="whistleblower-report")
urlpatterns = router.urls
