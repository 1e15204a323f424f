"""Rows of the portal's Excel exports written so that text stays text (no ORM, no domain).

A spreadsheet program runs a cell as a formula when it is stored as one, and, when a value is typed, pasted or
imported from text, when it starts with "=", "+", "-", "@", a tab or a carriage return. openpyxl stores every string
starting with "=" as a formula, so a whistleblower who writes `=HYPERLINK("http://…")` under «Хто причетний?» would
hand the officer a live formula. Such text is stored as a string with Excel's own quote-prefix mark (what Excel
records when a person types an apostrophe first): it shows exactly as typed, reads back unchanged when a file is
imported again, and stays text when the cell is edited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _safe(sheet: Worksheet, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    # Control characters cannot be stored in the file format at all: openpyxl would refuse the whole export.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_TRIGGERS):
        return value
    cell = Cell(sheet)
    cell.value = value
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, with any text a spreadsheet would run written as inert text."""
    sheet.append([_safe(sheet, value) for value in values])
