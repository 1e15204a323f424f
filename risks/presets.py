"""Installing the matrix presets, shared by the data migration (historical models) and runtime code."""

from __future__ import annotations

from types import SimpleNamespace

from risks.matrix import PRESETS, MatrixSpec


def _names(item) -> dict[str, str]:
    return {"name_uk": item.names["uk"], "name_en": item.names["en"], "name_ru": item.names["ru"]}


def install_preset(spec: MatrixSpec, models: SimpleNamespace) -> None:
    """Create one preset matrix with its axes, levels and cells unless a matrix with its code already exists."""
    if models.RiskMatrix.objects.filter(code=spec.code).exists():
        return
    matrix = models.RiskMatrix.objects.create(
        code=spec.code, methodology=spec.methodology, is_preset=True, **_names(spec)
    )
    probabilities = {
        axis.score: models.ProbabilityLevel.objects.create(
            matrix=matrix, score=axis.score, description=axis.description, **_names(axis)
        )
        for axis in spec.probabilities
    }
    consequences = {
        axis.score: models.ConsequenceLevel.objects.create(
            matrix=matrix, score=axis.score, description=axis.description, **_names(axis)
        )
        for axis in spec.consequences
    }
    levels = {
        level.code: models.RiskLevel.objects.create(
            matrix=matrix, code=level.code, rank=level.rank, colour=level.colour, **_names(level)
        )
        for level in spec.levels
    }
    models.MatrixCell.objects.bulk_create(
        models.MatrixCell(
            matrix=matrix,
            probability=probabilities[probability],
            consequence=consequences[consequence],
            level=levels[code],
        )
        for (probability, consequence), code in spec.cells.items()
    )


def ensure_presets() -> None:
    """Make sure the 2016 and 2021 NAZK matrices exist (a flushed test database or a restored dump may lack them)."""
    from risks import models

    for spec in PRESETS:
        install_preset(spec, SimpleNamespace(**{name: getattr(models, name) for name in MODEL_NAMES}))


MODEL_NAMES = ("RiskMatrix", "ProbabilityLevel", "ConsequenceLevel", "RiskLevel", "MatrixCell")
