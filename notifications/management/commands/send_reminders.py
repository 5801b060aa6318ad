"""Run the morning sweep now (as the beat job does), optionally for another day."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.reminders import reminders_sweep
from notifications.services import notifications_flush


class Command(BaseCommand):
    help = "Queue today's digests and escalations that are not queued yet, then send them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="The day to sweep for, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--no-send", action="store_true", help="Only queue; leave sending to the worker."
        )

    def handle(self, *args, date: str | None = None, no_send: bool = False, **options) -> None:
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from exc
        result = reminders_sweep(today=day)
        self.stdout.write(
            f"{result.assignments} assignments read, {result.digests} digests, "
            f"{result.escalations} escalations queued."
        )
        if not no_send:
            total = 0
            while True:
                sent, more = notifications_flush()
                total += sent
                if not more or not sent:
                    break
            self.stdout.write(f"{total} e-mails sent.")
