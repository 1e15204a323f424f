from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programs.lockout import LockoutAdminAuthenticationForm, sign_in_locked, sign_in_unlock
from programs.models import (
    AgendaItem,
    AuthenticatorApp,
    Commission,
    CommissionMember,
    Invitation,
    Meeting,
    Membership,
    Organisation,
    PeopleChange,
    Program,
    ProgramRevision,
    ProgramSection,
    ProgramStatusChange,
    RecoveryCodes,
    Unit,
)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["abbreviation", "name", "parent", "head_name", "email", "is_active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "code"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "name", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["abbreviation", "name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "unit", "position"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__last_name", "position"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made, re-sent and revoked on the people page, which records who did it."""

    list_display = ["email", "organisation", "roles", "sent_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["organisation"]
    search_fields = ["email"]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PeopleChange)
class PeopleChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "organisation", "actor", "action", "person", "detail"]
    list_filter = ["action", "organisation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ProgramSectionInline(admin.StackedInline):
    model = ProgramSection
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = ProgramStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "reason"]
    can_delete = False


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "start_year", "end_year", "status"]
    list_filter = ["status", "organisation"]
    search_fields = ["title"]
    inlines = [ProgramSectionInline, StatusChangeInline]


@admin.register(ProgramRevision)
class ProgramRevisionAdmin(SimpleHistoryAdmin):
    list_display = ["program", "number", "ground", "ground_arose_on", "status"]
    list_filter = ["status", "ground"]


class MemberInline(admin.TabularInline):
    model = CommissionMember
    extra = 0


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    inlines = [MemberInline]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["commission", "number", "held_on", "format"]
    list_filter = ["commission", "format"]
    inlines = [AgendaItemInline]


# --- users: the sign-in lockout ------------------------------------------------------------------------------------

admin.site.login_form = LockoutAdminAuthenticationForm


class PortalUserAdmin(UserAdmin):
    """Django's user admin with the sign-in lockout shown and liftable."""

    list_display = [*UserAdmin.list_display, "sign_in_locked"]
    actions = ["unlock_sign_in"]

    @admin.display(boolean=True, description=_("Sign-in locked"))
    def sign_in_locked(self, user) -> bool:
        return sign_in_locked(None, user.get_username())

    @admin.action(description=_("Unlock sign-in"))
    def unlock_sign_in(self, request, queryset) -> None:
        for user in queryset:
            sign_in_unlock(username=user.get_username())
        self.message_user(request, gettext("Sign-in unlocked for %(count)s users.") % {"count": queryset.count()})


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


@admin.register(AuthenticatorApp, RecoveryCodes)
class SecondFactorDeviceAdmin(admin.ModelAdmin):
    """The superuser removes a lost device (the person then enrols again); no secret is shown or editable here."""

    list_display = ["user", "name", "confirmed", "last_used_at", "throttling_failure_count"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "confirmed", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
