from rest_framework.routers import SimpleRouter

from programs.api import commission, people, structure, views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("units", views.UnitViewSet, basename="unit")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("commissions", commission.CommissionViewSet, basename="commission")
router.register("commission-members", commission.CommissionMemberViewSet, basename="commission-member")
router.register("meetings", commission.MeetingViewSet, basename="meeting")
router.register("agenda-items", commission.AgendaItemViewSet, basename="agenda-item")
router.register("memberships", people.MembershipViewSet, basename="membership")
router.register("invitations", people.InvitationViewSet, basename="invitation")
router.register("program-sections", structure.ProgramSectionViewSet, basename="program-section")
urlpatterns = router.urls
