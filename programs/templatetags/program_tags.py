from django import template

from programs.markup import render_markup

register = template.Library()


@register.filter(name="markup")
def markup(text: str | None):
    """Program section text as safe formatted HTML (see programs.markup)."""
    return render_markup(text)
