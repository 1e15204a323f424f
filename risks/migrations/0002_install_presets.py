"""Install the 2016 and 2021 NAZK matrices so every new installation can score risks at once."""

from django.db import migrations


def install(apps, schema_editor):
    from risks.matrix import PRESETS

    RiskMatrix = apps.get_model("risks", "RiskMatrix")
    ProbabilityLevel = apps.get_model("risks", "ProbabilityLevel")
    ConsequenceLevel = apps.get_model("risks", "ConsequenceLevel")
    RiskLevel = apps.get_model("risks", "RiskLevel")
    MatrixCell = apps.get_model("risks", "MatrixCell")
    for spec in PRESETS:
        if RiskMatrix.objects.filter(code=spec.code).exists():
            continue
        matrix = RiskMatrix.objects.create(
            code=spec.code, methodology=spec.methodology, is_preset=True,
            name_uk=spec.names["uk"], name_en=spec.names["en"], name_ru=spec.names["ru"],
        )
        names = lambda axis: {"name_uk": axis.names["uk"], "name_en": axis.names["en"], "name_ru": axis.names["ru"]}  # noqa: E731
        probabilities = {
            axis.score: ProbabilityLevel.objects.create(
                matrix=matrix, score=axis.score, description=axis.description, **names(axis)
            )
            for axis in spec.probabilities
        }
        consequences = {
            axis.score: ConsequenceLevel.objects.create(
                matrix=matrix, score=axis.score, description=axis.description, **names(axis)
            )
            for axis in spec.consequences
        }
        levels = {
            level.code: RiskLevel.objects.create(
                matrix=matrix, code=level.code, rank=level.rank, colour=level.colour, **names(level)
            )
            for level in spec.levels
        }
        for (probability, consequence), code in spec.cells.items():
            MatrixCell.objects.create(
                matrix=matrix, probability=probabilities[probability], consequence=consequences[consequence],
                level=levels[code],
            )


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
