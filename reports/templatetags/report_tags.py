"""Template helpers of pages outside the reports app that offer to prepare one of its documents."""

from django import template

from reports.permissions import may_request_program_reports

register = template.Library()


@register.filter
def may_request_reports_of(user, program) -> bool:
    """`{% if request.user|may_request_reports_of:program %}`: the button that asks the worker for a document."""
    return may_request_program_reports(user, program)
