"""The risk register as an .xlsx workbook with the Ukrainian column headers of the register."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.spreadsheets import append_row
from risks.models import Risk

# Column headers of the register as the body's documents write them, whatever the interface language.
REGISTER_HEADERS = [
    "№ з/п",
    "Функція",
    "Процес",
    "Корупційний ризик",
    "Опис ризику",
    "Джерела та чинники",
    "Можливі наслідки",
    "Наявні заходи контролю",
    "Власник ризику",
    "Ймовірність",
    "Наслідки",
    "Рівень ризику",
    "Залишкова ймовірність",
    "Залишкові наслідки",
    "Залишковий рівень",
    "Кількість заходів",
]


def workbook_bytes(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        append_row(sheet, row)
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = 40 if len(headers[column[0].column - 1]) > 12 else 16
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_workbook(risks: Iterable[Risk]) -> bytes:
    """`risks` must carry `inherent` / `residual` levels (selectors.attach_levels) and `measure_count`."""
    with translation.override("uk"):
        rows = [
            [
                risk.number,
                risk.get_function_display(),
                risk.process,
                risk.title,
                risk.description,
                risk.factors,
                risk.possible_consequences,
                risk.existing_controls,
                risk.owner_unit.abbreviation if risk.owner_unit else "",
                risk.inherent_probability.name,
                risk.inherent_consequence.name,
                risk.inherent.name if risk.inherent else "",
                risk.residual_probability.name if risk.residual_probability else "",
                risk.residual_consequence.name if risk.residual_consequence else "",
                risk.residual.name if risk.residual else "",
                risk.measure_count,
            ]
            for risk in risks
        ]
        return workbook_bytes("Реєстр ризиків", REGISTER_HEADERS, rows)
