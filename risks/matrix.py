"""Pure risk-matrix arithmetic: no ORM, so it is tested on its own and reused by models, reports and the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class LevelSpec:
    code: str
    rank: int
    colour: str
    names: Mapping[str, str]


@dataclass(frozen=True)
class AxisSpec:
    score: int
    names: Mapping[str, str]
    description: str = ""


@dataclass(frozen=True)
class MatrixSpec:
    """A whole matrix as data: the axes, the levels and the level each (probability, consequence) cell gives."""

    code: str
    names: Mapping[str, str]
    methodology: str
    probabilities: tuple[AxisSpec, ...]
    consequences: tuple[AxisSpec, ...]
    levels: tuple[LevelSpec, ...]
    cells: Mapping[tuple[int, int], str]

    def level_of(self, probability: int, consequence: int) -> LevelSpec:
        return risk_level(self.cells, self.levels, probability, consequence)


def risk_level(
    cells: Mapping[tuple[int, int], str], levels: tuple[LevelSpec, ...], probability: int, consequence: int
) -> LevelSpec:
    """The level a cell of the matrix gives; a score outside the matrix is an error, never a guess."""
    try:
        code = cells[(probability, consequence)]
    except KeyError:
        raise ValueError(f"No cell for probability {probability} and consequence {consequence}") from None
    return next(level for level in levels if level.code == code)


def _names(uk: str, en: str, ru: str) -> dict[str, str]:
    return {"uk": uk, "en": en, "ru": ru}


LOW = LevelSpec("low", 1, "#2e7d32", _names("Низький", "Low", "Низкий"))
MEDIUM = LevelSpec("medium", 2, "#f9a825", _names("Середній", "Medium", "Средний"))
HIGH = LevelSpec("high", 3, "#c62828", _names("Високий", "High", "Высокий"))

# 2016 methodology (NAZK decision № 126): probability and consequences each low/medium/high; the pair gives the
# priority of the risk (пріоритетність), which weighs probability first: any highly probable risk is high priority.
NAZK_2016 = MatrixSpec(
    code="nazk-2016",
    names=_names(
        "Методологія НАЗК 2016 (рішення № 126)",
        "NAZK 2016 methodology (decision № 126)",
        "Методология НАПК 2016 (решение № 126)",
    ),
    methodology="nazk_2016",
    probabilities=(
        AxisSpec(1, _names("Низька", "Low", "Низкая")),
        AxisSpec(2, _names("Середня", "Medium", "Средняя")),
        AxisSpec(3, _names("Висока", "High", "Высокая")),
    ),
    consequences=(
        AxisSpec(1, _names("Незначні", "Minor", "Незначительные")),
        AxisSpec(2, _names("Помірні", "Moderate", "Умеренные")),
        AxisSpec(3, _names("Значні", "Significant", "Значительные")),
    ),
    levels=(LOW, MEDIUM, HIGH),
    cells={
        (1, 1): "low",
        (1, 2): "low",
        (1, 3): "medium",
        (2, 1): "low",
        (2, 2): "medium",
        (2, 3): "high",
        (3, 1): "high",
        (3, 2): "high",
        (3, 3): "high",
    },
)

# 2021 methodology (NAZK order № 830/21): probability high/medium/low and consequences scored from potential losses;
# the level is the product x × y — 1–2 low, 3–4 medium, 6–9 high.
NAZK_2021 = MatrixSpec(
    code="nazk-2021",
    names=_names(
        "Методологія НАЗК 2021 (наказ № 830/21)",
        "NAZK 2021 methodology (order № 830/21)",
        "Методология НАПК 2021 (приказ № 830/21)",
    ),
    methodology="nazk_2021",
    probabilities=(
        AxisSpec(
            1, _names("Низька", "Low", "Низкая"), "не реалізовувався раніше та ймовірність реалізації вкрай низька"
        ),
        AxisSpec(
            2,
            _names("Середня", "Medium", "Средняя"),
            "не більше одного разу протягом останніх трьох років та/або наступних трьох років",
        ),
        AxisSpec(
            3, _names("Висока", "High", "Высокая"), "реалізовувався більше одного разу протягом останніх трьох років"
        ),
    ),
    consequences=(
        AxisSpec(1, _names("Низькі", "Low", "Низкие")),
        AxisSpec(2, _names("Середні", "Medium", "Средние")),
        AxisSpec(3, _names("Високі", "High", "Высокие")),
    ),
    levels=(LOW, MEDIUM, HIGH),
    cells={(p, c): ("low" if p * c <= 2 else "medium" if p * c <= 4 else "high") for p in (1, 2, 3) for c in (1, 2, 3)},
)

PRESETS: tuple[MatrixSpec, ...] = (NAZK_2016, NAZK_2021)
