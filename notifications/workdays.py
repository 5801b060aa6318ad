"""Working days in Vietnam, and the rule that moves a deadline off a day nobody works.

A day is a working day unless it is a Saturday or Sunday, a public holiday in the
``holidays`` package (New Year, the Tết days, Hùng Kings, 30/4, 1/5, National Day, and
the substitute days off the package knows), or an extra day off in the admin's table of
day swaps; a Saturday or Sunday listed there as a working day (ngày làm bù) is one.

The rule (MOVE_DEADLINES_TO_WORKING_DAY, on by default): a deadline that falls on a day
that is not a working day counts, for reminders and escalation, as due on the next working
day. Due on Saturday 14/2/2026 (the Tết break runs to Sunday 22/2) → counted as due on
Monday 23/2/2026. The assignment keeps its date; only the reminders move.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.conf import settings

from notifications.models import WorkingDayOverride

# Tết can take nine days in a row with the weekends around it; a longer run means bad data.
MAX_DAYS_OFF_IN_A_ROW = 31


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


class WorkingCalendar:
    """Answers "is this a working day" for one sweep, reading the day swaps once."""

    def __init__(self, overrides: dict[datetime.date, str] | None = None) -> None:
        if overrides is None:
            overrides = dict(WorkingDayOverride.objects.values_list("day", "kind"))
        self.overrides = overrides

    def is_working_day(self, day: datetime.date) -> bool:
        kind = self.overrides.get(day)
        if kind == WorkingDayOverride.Kind.WORKING_DAY:
            return True
        if kind == WorkingDayOverride.Kind.DAY_OFF:
            return False
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _ in range(MAX_DAYS_OFF_IN_A_ROW):
            if self.is_working_day(day):
                return day
            day += datetime.timedelta(days=1)
        return day

    def effective_due(self, due_on: datetime.date) -> datetime.date:
        """The date reminders count from (the module docstring gives the rule)."""
        if not settings.MOVE_DEADLINES_TO_WORKING_DAY:
            return due_on
        return self.next_working_day(due_on)
