"""Visit rules by category and risk as the 2024 visiting rules set them, in place of "once a year" for everybody
(clients/seeds.py): national rules still at their first-edition value move to the new default, missing category
rules are added, and every person's stored interval is recomputed (20,000 at a time)."""

from django.db import migrations
from django.db.models import Max, Min

from shegong.clients.seeds import (
    CATEGORY_RULES,
    FIRST_EDITION_CATEGORY_RULES,
    FIRST_EDITION_RISK_RULES,
    RISK_RULES,
)


def forward(apps, schema_editor):
    from shegong.clients.visiting import interval_expression

    Category = apps.get_model("clients", "Category")
    VisitRule = apps.get_model("clients", "VisitRule")
    Person = apps.get_model("clients", "Person")
    for level, days in RISK_RULES.items():
        rule = VisitRule.objects.filter(region__isnull=True, risk_level=level).first()
        if rule is None:
            VisitRule.objects.create(risk_level=level, interval_days=days)
        elif rule.interval_days == FIRST_EDITION_RISK_RULES.get(level):
            VisitRule.objects.filter(pk=rule.pk).update(interval_days=days)
    categories = {c.name: c for c in Category.objects.filter(name__in=list(CATEGORY_RULES))}
    for name, days in CATEGORY_RULES.items():
        category = categories.get(name)
        if category is None:
            continue
        rule = VisitRule.objects.filter(region__isnull=True, category=category).first()
        if rule is None:
            VisitRule.objects.create(category=category, interval_days=days)
        elif rule.interval_days == FIRST_EDITION_CATEGORY_RULES.get(name):
            VisitRule.objects.filter(pk=rule.pk).update(interval_days=days)
    rules = list(VisitRule.objects.all())
    through = Person.categories.through
    bounds = Person.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return
    expression = interval_expression(rules, through)
    for start in range(bounds["low"], bounds["high"] + 1, 20_000):
        Person.objects.filter(id__gte=start, id__lt=start + 20_000).order_by().update(
            visit_interval=expression
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0012_person_responsible_worker")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
