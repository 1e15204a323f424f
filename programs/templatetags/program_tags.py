from django import template

from core.markup import render_markup

register = template.Library()


@register.filter(name="markup")
def markup(text: str | None):
    """Program section text as safe formatted HTML (see core.markup)."""
    return render_markup(text)
