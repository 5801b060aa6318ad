"""The default Celery beat schedule: the one list of the periodic jobs an installation
starts with (times are Asia/Ho_Chi_Minh).

The schedule lives in the database (django-celery-beat), so an administrator changes it
in the admin under "Periodic tasks". ``schedule_install`` creates the entries missing by
name and never touches an existing one, so an administrator's edits (another time, a
disabled job) survive; it runs from migration reports/0006 on every database, and again
from any later migration that adds a job to this list.
"""

from __future__ import annotations

from django.utils import timezone

TZ = "Asia/Ho_Chi_Minh"

DEFAULT_SCHEDULE = [
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
    # Roll-ups for the periods that ended yesterday; next year's standard periods.
    {
        "name": "Báo cáo tổng hợp khi hết kỳ báo cáo",
        "task": "reports.rollups_for_ended_periods",
        "crontab": {"minute": "0", "hour": "6"},
    },
    # Hands again the roll-up builds that no worker started (e.g. asked for while Redis was
    # down); marks failed those that never start, or whose worker died.
    {
        "name": "Gửi lại việc tổng hợp báo cáo chưa chạy (roll-up outbox)",
        "task": "reports.rollups_resend",
        "crontab": {"minute": "*", "hour": "*"},
    },
    # Keeps the dashboard figures people look at current.
    {
        "name": "Cập nhật số liệu các trang tổng quan đang được xem",
        "task": "reports.figures_keep_warm",
        "every_minutes": 5,
    },
]


def schedule_install(apps) -> int:
    """Create the entries of DEFAULT_SCHEDULE that are missing (by name); returns how many.
    ``apps`` is a migration's app registry, or ``django.apps.apps``."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    created = 0
    for entry in DEFAULT_SCHEDULE:
        if PeriodicTask.objects.filter(name=entry["name"]).exists():
            continue
        when = {}
        if "crontab" in entry:
            when["crontab"], _ = CrontabSchedule.objects.get_or_create(
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone=TZ,
                **entry["crontab"],
            )
        else:
            when["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=entry["every_minutes"], period="minutes"
            )
        PeriodicTask.objects.create(name=entry["name"], task=entry["task"], enabled=True, **when)
        created += 1
    if created:
        # Tell a running beat that the schedule changed.
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return created


def schedule_uninstall(apps) -> None:
    """Remove the default entries (a migration's reverse)."""
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[entry["name"] for entry in DEFAULT_SCHEDULE]).delete()
