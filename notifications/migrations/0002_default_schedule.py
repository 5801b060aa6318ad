"""Installed the outbox's beat jobs; the whole default schedule is now installed by
reports 0006 (config/schedule.py), so this does nothing. Kept so databases that ran it
stay in step."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
