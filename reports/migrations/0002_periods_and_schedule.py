"""Standard reporting periods for 2023-2027 and the daily job that builds roll-ups at the
end of each period (06:00 Asia/Ho_Chi_Minh; an administrator can change it under
"Periodic tasks" in the admin)."""

import calendar
import datetime

from django.db import migrations

ROMAN = ["I", "II", "III", "IV"]


def periods(apps, schema_editor):
    ReportingPeriod = apps.get_model("reports", "ReportingPeriod")
    for year in range(2023, 2028):
        rows = []
        for q in range(1, 5):
            first = 3 * (q - 1) + 1
            last = calendar.monthrange(year, first + 2)[1]
            rows.append(("quarter", datetime.date(year, first, 1),
                         datetime.date(year, first + 2, last), f"Quý {ROMAN[q - 1]}/{year}"))
        rows.append(("first_half", datetime.date(year, 1, 1), datetime.date(year, 6, 30),
                     f"6 tháng đầu năm {year}"))
        rows.append(("second_half", datetime.date(year, 7, 1), datetime.date(year, 12, 31),
                     f"6 tháng cuối năm {year}"))
        rows.append(("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31),
                     f"Năm {year}"))
        for kind, start, end, label in rows:
            ReportingPeriod.objects.get_or_create(
                kind=kind, start_on=start, end_on=end, directive=None, defaults={"label": label}
            )


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        name="Báo cáo tổng hợp khi hết kỳ báo cáo",
        defaults={"task": "reports.rollups_for_ended_periods", "crontab": crontab},
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="reports.rollups_for_ended_periods").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_reporting"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(periods, migrations.RunPython.noop),
        migrations.RunPython(schedule, unschedule),
    ]
