"""The measures' panel of the program page: programs shows it without importing measures."""

from django import template

from measures.selectors import measure_sections_with_measures

register = template.Library()


@register.inclusion_tag("measures/includes/program_panel.html", takes_context=True)
def program_measures(context, program) -> dict:
    """`{% program_measures program %}`: sections → tasks → the measures the requesting user may see."""
    return {"sections": measure_sections_with_measures(user=context["request"].user, program=program)}
