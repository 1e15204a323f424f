from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.models import Measure, MeasureSection, MeasureUnit, Task


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


@admin.register(MeasureSection)
class MeasureSectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "program", "kind"]
    list_filter = ["program", "kind"]
    inlines = [TaskInline]


class MeasureUnitInline(admin.TabularInline):
    """The responsible units in the measure's order (position)."""

    model = MeasureUnit
    extra = 0
    ordering = ["position", "pk"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "task", "deadline_kind"]
    list_filter = ["task__section__program", "deadline_kind"]
    search_fields = ["content"]
    filter_horizontal = ["risks"]
    inlines = [MeasureUnitInline]
