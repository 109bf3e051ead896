"""The starting service menu (DOMAIN.md §4)."""

from django.db import migrations

from shegong.casework.seeds import SERVICE_ITEMS


def seed(apps, schema_editor):
    ServiceItem = apps.get_model("casework", "ServiceItem")
    for group, names in SERVICE_ITEMS.items():
        for index, name in enumerate(names):
            if not ServiceItem.objects.filter(region__isnull=True, group=group, name=name).exists():
                ServiceItem.objects.create(group=group, name=name, sort=(index + 1) * 10)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
