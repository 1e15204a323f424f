from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Measure, MeasureSection, Task


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


@admin.register(MeasureSection)
class MeasureSectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "program", "kind"]
    list_filter = ["program", "kind"]
    inlines = [TaskInline]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "task", "deadline_kind"]
    list_filter = ["task__section__program", "deadline_kind"]
    search_fields = ["content"]
    filter_horizontal = ["responsible_units", "risks"]
