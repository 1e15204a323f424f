"""The risk register as an .xlsx workbook with the Ukrainian column headers of the register."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation

from core.spreadsheets import workbook_bytes
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


def register_widths(index: int, header: str) -> float:
    """Wide columns for the register's texts, narrow ones for numbers and levels."""
    return 40 if len(header) > 12 else 16


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
        return workbook_bytes("Реєстр ризиків", REGISTER_HEADERS, rows, widths=register_widths)
