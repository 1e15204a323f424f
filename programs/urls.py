from django.urls import path

from . import views, views_commission, views_revisions, views_structure

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.program_create_view, name="create"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/edit/", views.program_edit, name="edit"),
    path("<int:pk>/status/", views.program_status, name="status"),
    path("<int:pk>/sections/new/", views.section_create, name="section-create"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section-edit"),
    path("<int:pk>/revisions/new/", views_revisions.revision_create, name="revision-create"),
    path("revisions/<int:pk>/", views_revisions.revision_detail, name="revision"),
    path("revisions/<int:pk>/edit/", views_revisions.revision_edit, name="revision-edit"),
    path("revisions/<int:pk>/close/", views_revisions.revision_close, name="revision-close"),
    path("organisations/", views_structure.organisation_index, name="organisations"),
    path("organisations/<int:pk>/", views_structure.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/units/new/", views_structure.unit_create, name="unit-create"),
    path("units/<int:pk>/edit/", views_structure.unit_edit, name="unit-edit"),
    path("organisations/<int:pk>/commission/", views_commission.commission_detail, name="commission"),
    path("organisations/<int:pk>/commission/edit/", views_commission.commission_edit, name="commission-edit"),
    path("organisations/<int:pk>/commission/members/new/", views_commission.member_create, name="member-create"),
    path("commission-members/<int:pk>/", views_commission.member_edit, name="member-edit"),
    path("organisations/<int:pk>/commission/meetings/new/", views_commission.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views_commission.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views_commission.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/items/new/", views_commission.agenda_item_add, name="agenda-item-create"),
    path("agenda-items/<int:pk>/decision/", views_commission.agenda_item_decision, name="agenda-item-decision"),
]
