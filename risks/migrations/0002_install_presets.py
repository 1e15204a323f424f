"""Install the 2016 and 2021 NAZK matrices so every new installation can score risks at once."""

from types import SimpleNamespace

from django.db import migrations


def install(apps, schema_editor):
    from risks.matrix import PRESETS
    from risks.presets import MODEL_NAMES, install_preset

    models = SimpleNamespace(**{name: apps.get_model("risks", name) for name in MODEL_NAMES})
    for spec in PRESETS:
        install_preset(spec, models)


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
