"""Template helpers of the period pages: show a tab only to those who may open it."""

from django import template

from reports.permissions import may_read_review

register = template.Library()


@register.filter
def reads_review_of(user, period) -> bool:
    """`{% if request.user|reads_review_of:period %}`: the commission's review tab."""
    return may_read_review(user, period)
