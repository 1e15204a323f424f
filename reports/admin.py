from django.contrib import admin

from reports.documents.models import GeneratedReport
from reports.execution.models import ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "state", "submission_due"]
    list_filter = ["program", "kind", "state", "year"]


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "format", "organisation", "period", "status", "requested_at", "is_public"]
    list_filter = ["kind", "status", "is_public"]
    readonly_fields = ["fingerprint", "sha256", "size", "pages", "attempts", "error", "started_at", "finished_at"]
