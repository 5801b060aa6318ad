"""The whole default beat schedule (config/schedule.py), installed in one place.

It replaces what 0002, 0005 and notifications 0002 used to install one job each (those
now do nothing). On a database where they already ran it finds every entry by name and
changes nothing; on a new one it creates them all."""

from django.db import migrations

from config.schedule import schedule_install, schedule_uninstall


def install(apps, schema_editor):
    schedule_install(apps)


def uninstall(apps, schema_editor):
    schedule_uninstall(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_figures_schedule"),
        ("notifications", "0002_default_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
