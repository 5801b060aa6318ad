"""Standard reporting periods for 2023-2027. (It also installed the daily roll-up job; the
whole default beat schedule is now installed by 0006, from config/schedule.py.)"""

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


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_reporting"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(periods, migrations.RunPython.noop),
    ]
