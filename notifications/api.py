"""What the other apps call to reach people: the one module of notifications they import.
Notifications itself never imports them.

- ``notify(...)``: queue one message to one user, by e-mail and in the inbox, the user's
  preferences applied, at most once per de-duplication key (``notification_enqueue`` in
  notifications/services.py documents every argument).
- ``absolute_url(path)``: a link for a message, on SITE_URL.
- ``recent_inbox(user, limit)``: the user's latest in-app messages, for their start page.
- ``register_digest_source(kind, source)``: add what a unit owes besides its assignments to
  the unit's morning digest. ``source(horizon)`` returns a ``DigestEntry`` for everything
  not yet done that is due on or before ``horizon``; the sweep picks what is due today,
  overdue or one of the reminder offsets away, lists it under its group, and never
  escalates it. Apps register in their ``AppConfig.ready`` (reports/apps.py).
- ``emit_rollup_ready(...)``: tell the webhooks that listen that a roll-up was built
  (notifications/webhook_events.py).
- ``inbox_for_user(user=...)`` and ``notification_mark_read(user=..., notification_id=...)``:
  the user's own in-app messages, for the integration API (api/).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from notifications.selectors import inbox_for_user
from notifications.services import absolute_url, notification_enqueue, notification_mark_read
from notifications.webhook_events import emit_rollup_ready

__all__ = [
    "DigestEntry",
    "absolute_url",
    "digest_sources",
    "emit_rollup_ready",
    "inbox_for_user",
    "notification_mark_read",
    "notify",
    "recent_inbox",
    "register_digest_source",
]

notify = notification_enqueue


def recent_inbox(user, limit: int = 5) -> list:
    return list(inbox_for_user(user=user)[:limit])


@dataclass(frozen=True)
class DigestEntry:
    """One thing a unit owes by a date, as its digest lists it."""

    kind: str  # what it is ("report_request"); the digest's markup carries it
    ref_id: int  # the id of the thing owed
    unit_id: int  # the unit that owes it
    group: str  # entries with the same group are listed together under ``group_label``
    group_label: str
    label: str
    due_on: datetime.date
    url: str  # absolute


DigestSource = Callable[[datetime.date], Iterable[DigestEntry]]
_sources: dict[str, DigestSource] = {}


def register_digest_source(kind: str, source: DigestSource) -> None:
    """Register (or replace) the source of ``kind``'s digest entries."""
    _sources[kind] = source


def digest_sources() -> list[DigestSource]:
    return list(_sources.values())
