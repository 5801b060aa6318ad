"""Escalations: one message a day per person, the overdue work grouped by unit, every line
naming its unit and its whole task; the same day count as the dashboard."""

from __future__ import annotations

import datetime
import re

from directives.status import days_overdue
from notifications.models import Channel, Notification
from notifications.reminders import reminders_sweep
from reports import aggregates as agg
from tests.notifications.conftest import at

D = datetime.date
MONDAY = D(2026, 3, 2)
LONG_TITLE = (
    "Tổ chức quán triệt, triển khai thực hiện nghị quyết về công tác dân vận trong tình hình "
    "mới tới toàn thể cán bộ, đảng viên và các tầng lớp nhân dân trên địa bàn toàn tỉnh"
)


def test_a_monitor_gets_one_message_grouping_every_overdue_task_by_unit(province):
    assign = province["assign"]
    front_items = [assign(D(2026, 2, 10) - datetime.timedelta(days=i)) for i in range(12)]
    long_one = assign(D(2026, 2, 1), title=LONG_TITLE)
    farmer_items = [assign(D(2026, 2, 12), unit=province["farmers"]) for _ in range(5)]
    with at(MONDAY):
        reminders_sweep()
        reminders_sweep()
    monitor = province["monitor"]
    mine = Notification.objects.filter(recipient=monitor, kind="escalation_monitor")
    assert sorted(mine.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.INAPP]
    mail = mine.get(channel=Channel.EMAIL)
    assert "18" in mail.subject and "2" in mail.subject
    text = mail.body_text
    # Grouped: the Farmers' heading, its five lines, then the Front's.
    assert text.index("Hội Nông dân tỉnh\n") < text.index("Ủy ban MTTQ Việt Nam tỉnh\n")
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(lines) == 18
    assert all(
        line.startswith("- Hội Nông dân tỉnh — ")
        or line.startswith("- Ủy ban MTTQ Việt Nam tỉnh — ")
        for line in lines
    )
    # The whole title, never cut mid-word.
    assert LONG_TITLE in text and LONG_TITLE in mail.body_html
    assert mail.body_html.count("data-assignment=") == 18
    for a in [*front_items, long_one, *farmer_items]:
        assert f"/work/assignments/{a.pk}/" in mail.body_html
    # The inbox carries the same list.
    assert LONG_TITLE in mine.get(channel=Channel.INAPP).body_text
    # The leader of the Front gets one message with the Front's 13 items only.
    lead = Notification.objects.get(
        recipient=province["leader"], kind="escalation_leader", channel=Channel.EMAIL
    )
    assert lead.body_html.count("data-assignment=") == 13
    assert "Hội Nông dân tỉnh" not in lead.body_text


def test_days_overdue_agree_between_the_email_and_the_dashboard(province):
    # Due on a Saturday: the sweep counts it due on Monday, but the count shown is one.
    saturday = D(2026, 1, 3)
    late = province["assign"](saturday)
    with at(MONDAY):
        reminders_sweep()
    mail = Notification.objects.get(recipient=province["monitor"], channel=Channel.EMAIL)
    expected = days_overdue(saturday, MONDAY)
    assert expected == 58
    shown = re.search(r"quá hạn (\d+) ngày", mail.body_text)
    assert shown and int(shown.group(1)) == expected
    rows = agg.overdue_list(agg.Slice(path=province["committee"].path, as_of=MONDAY))
    assert [(r["pk"], r["days_overdue"]) for r in rows] == [(late.pk, expected)]


def test_days_overdue_is_zero_before_the_due_date():
    assert days_overdue(D(2026, 3, 2), D(2026, 3, 1)) == 0
    assert days_overdue(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert days_overdue(None, D(2026, 3, 2)) == 0
    assert days_overdue(D(2026, 3, 2), D(2026, 3, 5)) == 3
