"""The people list filtered by risk level, from one index: open files by level, village, pinyin and id.

On the province database (1.9 M files) the capped count of prefecture 5301's key people (10,001 of 22,992)
went from 48 ms (reading the rows of the region index to check each one's status) to 3.6 ms (an index-only
scan); building the index took 7.6 s.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_person_fewer_indexes"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("active", True)),
                fields=["risk_level", "region", "pinyin", "id"],
                name="clients_person_risk_list",
            ),
        ),
    ]
