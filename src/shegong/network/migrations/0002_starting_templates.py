"""The three starting checklists the articles name (DOMAIN.md §1). They have no region: anyone may assess
against them, and an administrator copies one into their region to edit it."""

from django.db import migrations

TEMPLATES = [
    (
        "六有",
        "宁夏：社工站建设“六有”标准",
        ["有场地", "有设备", "有人员", "有项目", "有工作流程", "有规章制度"],
    ),
    (
        "五统一",
        "十堰：社工站建设“五统一”标准",
        ["统一办公用房", "统一挂牌", "统一办公设备", "统一制度上墙", "统一着装"],
    ),
    (
        "五有",
        "建德：社工站“五有”标准（常见表述，请按本地文件修改）",
        ["有场地", "有人员", "有制度", "有经费", "有服务"],
    ),
]


def create(apps, schema_editor):
    Checklist = apps.get_model("network", "Checklist")
    ChecklistItem = apps.get_model("network", "ChecklistItem")
    for name, description, items in TEMPLATES:
        if Checklist.objects.filter(region__isnull=True, name=name).exists():
            continue
        checklist = Checklist.objects.create(name=name, description=description, region=None)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(checklist=checklist, position=index, text=text)
            for index, text in enumerate(items, 1)
        )


def remove(apps, schema_editor):
    Checklist = apps.get_model("network", "Checklist")
    Checklist.objects.filter(
        region__isnull=True, name__in=[t[0] for t in TEMPLATES], assessments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
