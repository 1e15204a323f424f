"""The risk heat map: risks per cell of the program's matrix before (inherent) and after (residual) treatment."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count

from core.access import Action
from programs.models import Program
from reports.dashboard.common import program_ref
from risks.models import ConsequenceLevel, MatrixCell, ProbabilityLevel, Risk, name_column


def _level(code: str, rank: int, label: str, label_uk: str, colour: str) -> dict:
    """A risk level as the dashboard shows it; the Ukrainian name stands in where the language has none."""
    return {"code": code, "rank": rank, "label": label or label_uk, "colour": colour}


def _levels_by_cell(program: Program) -> dict[tuple[int, int], dict]:
    """Cell (probability id, consequence id) → level of the program's matrix, in one query."""
    cells = MatrixCell.objects.filter(matrix=program.risk_matrix_id).values_list(
        "probability_id",
        "consequence_id",
        "level__code",
        "level__rank",
        f"level__{name_column()}",
        "level__name_uk",
        "level__colour",
    )
    return {(probability, consequence): _level(*level) for probability, consequence, *level in cells.order_by()}


def risk_heatmap(*, user, program: Program) -> dict:
    """Risks per matrix cell before (inherent) and after (residual) treatment; five queries whatever the register."""
    matrix_id = program.risk_matrix_id
    probabilities = list(ProbabilityLevel.objects.filter(matrix=matrix_id).order_by("-score"))
    consequences = list(ConsequenceLevel.objects.filter(matrix=matrix_id).order_by("score"))
    by_cell = _levels_by_cell(program)
    risks = Risk.objects.restrict(user, Action.VIEW).filter(program=program)
    inherent = Counter(
        {
            (row["inherent_probability"], row["inherent_consequence"]): row["count"]
            for row in risks.values("inherent_probability", "inherent_consequence").annotate(count=Count("pk"))
        }
    )
    residual_rows = risks.values("residual_probability", "residual_consequence").annotate(count=Count("pk"))
    residual = Counter()
    not_reassessed = 0
    for row in residual_rows:
        if row["residual_probability"] is None:
            not_reassessed += row["count"]
        else:
            residual[(row["residual_probability"], row["residual_consequence"])] = row["count"]

    def grid(counts: Counter) -> list[list[dict]]:
        return [
            [
                {
                    "probability": probability.score,
                    "consequence": consequence.score,
                    "count": counts.get((probability.pk, consequence.pk), 0),
                    "level": by_cell.get((probability.pk, consequence.pk), {}).get("code", ""),
                    "colour": by_cell.get((probability.pk, consequence.pk), {}).get("colour", "#888888"),
                }
                for consequence in consequences
            ]
            for probability in probabilities
        ]

    def by_level(counts: Counter) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for cell, count in counts.items():
            level = by_cell.get(cell)
            if level:
                totals[level["code"]] += count
        return dict(totals)

    return {
        "program": program_ref(program),
        "probabilities": [{"score": p.score, "label": p.name} for p in probabilities],
        "consequences": [{"score": c.score, "label": c.name} for c in consequences],
        "levels": [
            {"code": level["code"], "label": level["label"], "colour": level["colour"]}
            for level in sorted({v["code"]: v for v in by_cell.values()}.values(), key=lambda v: v["rank"])
        ],
        "inherent": grid(inherent),
        "residual": grid(residual),
        "inherent_by_level": by_level(inherent),
        "residual_by_level": by_level(residual),
        "total": sum(inherent.values()),
        "not_reassessed": not_reassessed,
    }
