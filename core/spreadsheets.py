"""The portal's Excel exports: one layout (`workbook_bytes`), rows written so that text stays text (no ORM, no
domain).

A spreadsheet program runs a cell as a formula when it is stored as one, and, when a value is typed, pasted or
imported from text, when it starts with "=", "+", "-", "@", a tab or a carriage return. openpyxl stores every string
starting with "=" as a formula, so a whistleblower who writes `=HYPERLINK("http://…")` under «Хто причетний?» would
hand the officer a live formula. Such text is stored as a string with Excel's own quote-prefix mark (what Excel
records when a person types an apostrophe first): it shows exactly as typed, reads back unchanged when a file is
imported again, and stays text when the cell is edited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
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


WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
DATE_FORMAT = "DD.MM.YYYY"


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    preamble: Sequence[str] = (),
    widths: Callable[[int, str], float] = lambda index, header: 18,
) -> bytes:
    """The one layout of the portal's Excel exports: one sheet named `title`, optional preamble lines (the body, then
    the document's title in bold), a bold header row that stays in view and is printed on every page, every cell
    wrapped and top-aligned, dates as ДД.ММ.РРРР, a row with a single value (a section heading) in bold, landscape.
    `widths(index, header)` gives each column's width (index from 1)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for line in preamble:
        append_row(sheet, [line])
    if preamble:
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        sheet.append([])
    append_row(sheet, headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    for row in rows:
        append_row(sheet, row)
        if len(row) == 1:
            sheet.cell(row=sheet.max_row, column=1).font = BOLD
    for line in sheet.iter_rows(min_row=header_row + 1):
        for cell in line:
            cell.alignment = WRAP
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths(index, str(header))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
