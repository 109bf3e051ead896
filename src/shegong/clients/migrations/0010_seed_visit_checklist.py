from django.db import migrations

from shegong.clients.seeds import CHECKLIST


def seed(apps, schema_editor):
    Category = apps.get_model("clients", "Category")
    ChecklistItem = apps.get_model("clients", "ChecklistItem")
    for sort, (code, topic, question, concern, category) in enumerate(CHECKLIST):
        ChecklistItem.objects.get_or_create(
            code=code,
            defaults={
                "topic": topic,
                "question": question,
                "concern_label": concern,
                "category": Category.objects.filter(name=category).first() if category else None,
                "sort": (sort + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0009_visit_checklist_photos_followups_drafts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
