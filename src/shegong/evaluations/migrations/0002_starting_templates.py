from django.db import migrations


def load(apps, schema_editor):
    from shegong.evaluations.seeds import load_templates

    load_templates(
        apps.get_model("evaluations", "IndicatorSystem"),
        apps.get_model("evaluations", "Dimension"),
        apps.get_model("evaluations", "Indicator"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
