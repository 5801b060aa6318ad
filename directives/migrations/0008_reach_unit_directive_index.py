"""An index on (unit, directive) of the reach table, built without locking writes."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("directives", "0007_field_labels"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="directivereach",
            index=models.Index(fields=["unit", "directive"], name="directives_reach_unit_dir"),
        ),
    ]
