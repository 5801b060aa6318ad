"""Deadlines on weekends, Tết and other holidays count as due on the next working day."""

from __future__ import annotations

import datetime

import pytest

from notifications.models import Notification, NotificationKind, WorkingDayOverride
from notifications.reminders import reminders_sweep
from notifications.workdays import WorkingCalendar
from tests.notifications.conftest import at, listed

D = datetime.date


@pytest.mark.parametrize(
    ("due", "counted"),
    [
        (D(2026, 3, 6), D(2026, 3, 6)),  # a Friday stays
        (D(2026, 3, 7), D(2026, 3, 9)),  # Saturday → Monday
        (D(2026, 3, 8), D(2026, 3, 9)),  # Sunday → Monday
        (D(2026, 2, 14), D(2026, 2, 23)),  # Saturday before Tết Bính Ngọ → after the break
        (D(2026, 2, 17), D(2026, 2, 23)),  # Mùng 1 Tết 2026
        (D(2025, 1, 27), D(2025, 2, 3)),  # Tết Ất Tỵ 2025: 27/1 to 2/2 off
        (D(2025, 4, 30), D(2025, 5, 5)),  # 30/4, 1/5, the day off 2/5, then the weekend
        (D(2025, 9, 2), D(2025, 9, 3)),  # National Day
    ],
)
def test_deadline_moves_to_the_next_working_day(db, due, counted):
    assert WorkingCalendar().effective_due(due) == counted


def test_day_swaps_from_the_admin_table_count(db):
    WorkingDayOverride.objects.create(
        day=D(2026, 3, 6), kind=WorkingDayOverride.Kind.DAY_OFF, note="Nghỉ bù"
    )
    WorkingDayOverride.objects.create(
        day=D(2026, 3, 14), kind=WorkingDayOverride.Kind.WORKING_DAY, note="Làm bù thứ Bảy"
    )
    calendar = WorkingCalendar()
    assert calendar.effective_due(D(2026, 3, 6)) == D(2026, 3, 9)
    assert calendar.effective_due(D(2026, 3, 14)) == D(2026, 3, 14)


def test_setting_off_keeps_the_date(db, settings):
    settings.MOVE_DEADLINES_TO_WORKING_DAY = False
    assert WorkingCalendar().effective_due(D(2026, 2, 17)) == D(2026, 2, 17)


def test_digest_counts_from_the_working_day_after_tet_2026(province):
    due_in_tet = province["assign"](D(2026, 2, 14))  # Saturday, Tết break until 22/2
    with at(D(2026, 2, 13)):  # Friday before: not "due tomorrow", it counts from 23/2
        reminders_sweep()
    assert not Notification.objects.exists()
    with at(D(2026, 2, 16)):  # 23/2 is 7 days away
        reminders_sweep()
    mail = Notification.objects.get(recipient=province["staff"], channel="email")
    assert listed(mail.body_html) == {due_in_tet.pk: ("soon", 7)}
    assert "14/02/2026" in mail.body_text and "23/02/2026" in mail.body_text
    with at(D(2026, 2, 23)):
        reminders_sweep()
    mail = Notification.objects.get(
        recipient=province["staff"], channel="email", dedup_key__endswith="2026-02-23"
    )
    assert listed(mail.body_html) == {due_in_tet.pk: ("today", 0)}
    # Not overdue, so no escalation yet, although 14/2 is nine days ago.
    assert not Notification.objects.filter(kind__startswith="escalation").exists()


def test_digest_before_tet_2025_counts_the_break(province):
    due = province["assign"](D(2025, 1, 28))  # 29 Tết; counted as Monday 3/2
    with at(D(2025, 1, 27)):
        reminders_sweep()
    mail = Notification.objects.get(recipient=province["staff"], channel="email")
    assert listed(mail.body_html) == {due.pk: ("soon", 7)}


def test_weekend_deadline_without_the_setting_is_overdue_on_monday(province, settings):
    settings.MOVE_DEADLINES_TO_WORKING_DAY = False
    due = province["assign"](D(2026, 3, 7))
    with at(D(2026, 3, 9)):
        reminders_sweep()
    mail = Notification.objects.get(recipient=province["staff"], channel="email")
    assert listed(mail.body_html) == {due.pk: ("overdue", -2)}
    assert mail.kind == NotificationKind.DIGEST
