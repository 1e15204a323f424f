"""The risk heat map of the dashboard: the register's own grids (`risks.selectors.risk_heatmaps`) as plain data for
the page's chart and the API, so the two never count differently."""

from __future__ import annotations

from core.access import Action
from programs.models import Program
from reports.dashboard.common import program_ref
from risks.models import Risk
from risks.selectors import HeatMap, risk_heatmaps

NO_LEVEL_COLOUR = "#888888"


def _grid(heat: HeatMap) -> list[list[dict]]:
    return [
        [
            {
                "probability": cell.probability.score,
                "consequence": cell.consequence.score,
                "count": cell.count,
                "level": cell.level.code if cell.level else "",
                "colour": cell.level.colour if cell.level else NO_LEVEL_COLOUR,
            }
            for cell in cells
        ]
        for _probability, cells in heat.rows
    ]


def _by_level(heat: HeatMap) -> dict[str, int]:
    totals: dict[str, int] = {}
    for _probability, cells in heat.rows:
        for cell in cells:
            if cell.level and cell.count:
                totals[cell.level.code] = totals.get(cell.level.code, 0) + cell.count
    return totals


def risk_heatmap(*, user, program: Program) -> dict:
    """Risks per matrix cell before (inherent) and after (residual) treatment; five queries whatever the register."""
    risks = Risk.objects.restrict(user, Action.VIEW).filter(program=program)
    inherent, residual = risk_heatmaps(program=program, risks=risks)
    levels = {cell.level.code: cell.level for _p, cells in inherent.rows for cell in cells if cell.level}
    return {
        "program": program_ref(program),
        "probabilities": [{"score": probability.score, "label": probability.name} for probability, _c in inherent.rows],
        "consequences": [
            {"score": consequence.score, "label": consequence.name} for consequence in inherent.consequences
        ],
        "levels": [
            {"code": level.code, "label": level.name, "colour": level.colour}
            for level in sorted(levels.values(), key=lambda level: level.rank)
        ],
        "inherent": _grid(inherent),
        "residual": _grid(residual),
        "inherent_by_level": _by_level(inherent),
        "residual_by_level": _by_level(residual),
        "total": inherent.total,
        "not_reassessed": residual.unscored,
    }
