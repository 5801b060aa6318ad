"""The default beat schedule, in the database so an administrator can change it in the admin
(Periodic tasks). Times are Asia/Ho_Chi_Minh. Re-running keeps an administrator's edits."""

from django.db import migrations

TZ = "Asia/Ho_Chi_Minh"

SCHEDULE = [
    # Digests and escalations each morning, before the working day starts.
    {
        "name": "Nhắc hạn hằng ngày (daily digest and escalation)",
        "task": "notifications.tasks.daily_digest",
        "crontab": {"minute": "0", "hour": "7"},
    },
    # Sends what is pending (e.g. queued while Redis was down, or a lost retry).
    {
        "name": "Gửi thư đang chờ (flush outbox)",
        "task": "notifications.tasks.flush_outbox",
        "crontab": {"minute": "*", "hour": "*"},
    },
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    for entry in SCHEDULE:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=TZ,
            **entry["crontab"],
        )
        PeriodicTask.objects.get_or_create(
            name=entry["name"],
            defaults={"task": entry["task"], "crontab": crontab, "enabled": True},
        )
    # Tell a running beat that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[entry["task"] for entry in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
