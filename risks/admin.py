from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from risks.models import ConsequenceLevel, MatrixCell, ProbabilityLevel, ResidualRule, Risk, RiskLevel, RiskMatrix


class ProbabilityInline(admin.TabularInline):
    model = ProbabilityLevel
    extra = 0


class ConsequenceInline(admin.TabularInline):
    model = ConsequenceLevel
    extra = 0


class LevelInline(admin.TabularInline):
    model = RiskLevel
    extra = 0


@admin.register(RiskMatrix)
class RiskMatrixAdmin(admin.ModelAdmin):
    list_display = ["code", "name_uk", "methodology", "is_preset"]
    inlines = [ProbabilityInline, ConsequenceInline, LevelInline]


@admin.register(MatrixCell)
class MatrixCellAdmin(admin.ModelAdmin):
    list_display = ["matrix", "probability", "consequence", "level"]
    list_filter = ["matrix"]


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "program", "function", "owner_unit"]
    list_filter = ["program", "function"]
    search_fields = ["title", "description"]


@admin.register(ResidualRule)
class ResidualRuleAdmin(admin.ModelAdmin):
    """Where a body tunes the residual-score rule of a matrix (risks/residual.py explains each number)."""

    list_display = ["matrix", "effectiveness_weight", "completeness_weight", "timeliness_weight", "full_reduction_from"]
