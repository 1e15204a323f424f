"""Responsible units keep the order the measure lists them: the many-to-many table gets a position.

The table of the plain many-to-many stays (its rows and unique pair are kept); only the state learns that it is now
the MeasureUnit model. Existing rows are numbered in the order reports printed them until now (by abbreviation), so
no document changes until someone reorders a measure's units.
"""

import django.db.models.deletion
from django.db import migrations, models


def number_existing_links(apps, schema_editor):
    MeasureUnit = apps.get_model("measures", "MeasureUnit")
    links = MeasureUnit.objects.select_related("unit").order_by("measure_id", "unit__abbreviation", "pk")
    changed, current, position = [], None, 0
    for link in links.iterator():
        if link.measure_id != current:
            current, position = link.measure_id, 0
        position += 1
        link.position = position
        changed.append(link)
    MeasureUnit.objects.bulk_update(changed, ["position"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_deadline_constraints_refuse_missing_values"),
        ("programs", "0007_people_invitations_and_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MeasureUnit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "measure",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="unit_links",
                                to="measures.measure",
                                verbose_name="measure",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="measure_links",
                                to="programs.unit",
                                verbose_name="unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "responsible unit of a measure",
                        "verbose_name_plural": "responsible units of measures",
                        "db_table": "measures_measure_responsible_units",
                        "ordering": ["measure", "position", "pk"],
                        "unique_together": {("measure", "unit")},
                    },
                ),
                migrations.AlterField(
                    model_name="measure",
                    name="responsible_units",
                    field=models.ManyToManyField(
                        related_name="measures",
                        through="measures.MeasureUnit",
                        to="programs.unit",
                        verbose_name="responsible units",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="measureunit",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
        migrations.RunPython(number_existing_links, migrations.RunPython.noop),
        # The history of the links keeps its rows under the through model's name.
        migrations.RenameModel("HistoricalMeasure_responsible_units", "HistoricalMeasureUnit"),
        migrations.AlterModelOptions(name="historicalmeasureunit", options={"verbose_name": "HistoricalMeasureUnit"}),
        migrations.AddField(
            model_name="historicalmeasureunit",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
        migrations.AlterField(
            model_name="historicalmeasureunit",
            name="measure",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="measures.measure",
                verbose_name="measure",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeasureunit",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="programs.unit",
                verbose_name="unit",
            ),
        ),
    ]
