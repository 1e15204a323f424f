"""The reporting parts of pages outside the reports app (the program page, the re-assessment round): they show
them without importing reports."""

from django import template

from reports.execution.selectors import period_list
from reports.permissions import may_request_program_reports

register = template.Library()


@register.simple_tag(takes_context=True)
def may_request_reports(context, program) -> bool:
    """`{% may_request_reports program as can_request_reports %}`: whether to offer the program's documents (the
    execution report, the updated risk register)."""
    return may_request_program_reports(context["request"].user, program)


@register.inclusion_tag("reports/execution/includes/program_panel.html", takes_context=True)
def program_periods(context, program) -> dict:
    """`{% program_periods program %}`: the program's reporting periods the requesting user may see."""
    return {"periods": period_list(user=context["request"].user, program=program)}
