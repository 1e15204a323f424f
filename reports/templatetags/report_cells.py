"""Cells of the execution report's table that may break a word inside (see reports.documents.fitting)."""

from django import template

from reports.documents.fitting import EXECUTION_COLUMNS, has_unfitting_word

register = template.Library()
COLUMN_ORDER = list(EXECUTION_COLUMNS)


def _text(value) -> str:
    return " ".join(str(item) for item in value) if isinstance(value, list | tuple) else str(value)


@register.filter
def breaks_in(value, column: str) -> bool:
    """Whether the cell holding `value` (a text, or a list of lines) in `column` must break a word to fit."""
    return has_unfitting_word(_text(value), column)


@register.filter
def heading_breaks_at(value, index: int) -> bool:
    """Whether the bold heading `value` of the table's column number `index` (from 0) must break a word to fit."""
    return has_unfitting_word(_text(value), COLUMN_ORDER[index], bold=True)
