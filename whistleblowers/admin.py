"""Only reference data here. Whistleblower reports and identities are deliberately absent from the admin: they are
read through the officer's screens, which enforce the officer-only rule and log every reading of an identity."""

from django.contrib import admin

from whistleblowers.models import CaseRules


@admin.register(CaseRules)
class CaseRulesAdmin(admin.ModelAdmin):
    list_display = ["organisation", "number_pattern", "preliminary_review_working_days", "verification_days"]
