"""Installed the figures' beat job; the whole default schedule is now installed by 0006
(config/schedule.py), so this does nothing. Kept so databases that ran it stay in step."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_figure_version_triggers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
