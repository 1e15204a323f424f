"""The risk register's panel of the program page: programs shows it without importing risks."""

from django import template

from core.permissions import may_view_in
from risks.models import Risk
from risks.selectors import risk_list_with_levels

register = template.Library()


@register.simple_tag(takes_context=True)
def may_view_risks(context, program) -> bool:
    """`{% may_view_risks program as can_view_risks %}`: whether to offer the register, its heat map and panel."""
    return may_view_in(context["request"].user, Risk, program.organisation_id)


@register.inclusion_tag("risks/includes/program_panel.html", takes_context=True)
def program_risks(context, program) -> dict:
    """`{% program_risks program %}`: the program's risks with their levels, for those who may read the register."""
    user = context["request"].user
    if not may_view_in(user, Risk, program.organisation_id):
        return {"can_view_risks": False}
    return {"can_view_risks": True, "risks": risk_list_with_levels(user=user, program=program)}
