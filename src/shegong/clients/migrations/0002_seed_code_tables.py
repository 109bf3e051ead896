"""The starting categories (DOMAIN.md §3) and the national visit frequency rules."""

from django.db import migrations

from shegong.clients.seeds import CATEGORIES, CATEGORY_RULES, RISK_RULES, category_code


def seed(apps, schema_editor):
    Category = apps.get_model("clients", "Category")
    VisitRule = apps.get_model("clients", "VisitRule")
    by_name = {}
    for index, name in enumerate(CATEGORIES):
        category, _created = Category.objects.get_or_create(
            code=category_code(index), defaults={"name": name, "sort": (index + 1) * 10}
        )
        by_name[name] = category
    for level, days in RISK_RULES.items():
        if not VisitRule.objects.filter(region__isnull=True, risk_level=level).exists():
            VisitRule.objects.create(risk_level=level, interval_days=days)
    for name, days in CATEGORY_RULES.items():
        if not VisitRule.objects.filter(region__isnull=True, category=by_name[name]).exists():
            VisitRule.objects.create(category=by_name[name], interval_days=days)


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
