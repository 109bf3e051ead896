# The county rollup of service months (issue 18: a province's figures read 40,000 rows, not 318,000).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum
from django.db.models.functions import Substr


def fill(apps, schema_editor):
    """The county rollup of the stations' months already kept: one INSERT … SELECT, as ``rollups rebuild``."""
    ServiceMonth = apps.get_model("casework", "ServiceMonth")
    ServiceCountyMonth = apps.get_model("casework", "ServiceCountyMonth")
    source = (
        ServiceMonth.objects.order_by()
        .annotate(county=Substr("station__region_id", 1, 6))
        .values_list("county", "item_id", "month")
        .annotate(n=Sum("records"), times=Sum("person_times"))
    )
    sql, params = source.query.sql_with_params()
    table = schema_editor.quote_name(ServiceCountyMonth._meta.db_table)
    schema_editor.execute(
        f"INSERT INTO {table} (county, item_id, month, records, person_times) {sql}", params
    )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0009_service_month_sums"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServiceCountyMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("county", models.CharField(max_length=12)),
                ("month", models.DateField()),
                ("records", models.PositiveIntegerField(default=0)),
                ("person_times", models.PositiveBigIntegerField(default=0)),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="casework.serviceitem",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("county", "month", "item"), name="casework_service_county_month_key"
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
