"""The morning sweep: daily digests and escalation of overdue assignments.

The sweep is state-based: it looks at what is open and due today, and at what is already
in the outbox, and queues only what is missing. A run missed yesterday catches up once
today; a second run, a retried run, or two workers at the same moment queue nothing new,
because every message has a de-duplication key under a unique constraint:

- ``digest:<user_id>:<yyyy-mm-dd>``: at most one digest per user per local day, listing
  what the user's unit holds that is due in exactly one of REMINDER_OFFSETS_DAYS days,
  due today, or overdue, grouped by directive, and what else the unit owes by then (the
  digest sources other apps register in notifications/api.py: the reports it was asked
  for), never escalated;
- ``escalate:<leader|monitor>:<yyyy-mm-dd>``: at most one escalation per person per local
  day, listing, grouped by unit, every assignment overdue by ESCALATE_TO_LEADER_AFTER_DAYS
  days or more held by the unit they lead (leaders), or by ESCALATE_TO_MONITOR_AFTER_DAYS
  or more on the directives their unit monitors (monitors). Every line names the unit and
  the task; the day counts are ``directives.status.days_overdue``, as on the dashboard.

Who receives what:

- digests go to the active staff, leaders and monitors of the unit holding the assignment
  (leader viewers, inspectors and administrators only read; they get none);
- a directive's monitors are the users with the monitor role in its monitoring unit; when
  the directive names none, in the Ban Dân vận of the committee that issued it: the
  party-board unit directly under that committee whose name contains "dân vận" (so a
  merged "Ban Tuyên giáo và Dân vận" counts), the first in tree order if several.

Days are counted from the effective due date (notifications/workdays.py): with
MOVE_DEADLINES_TO_WORKING_DAY a deadline on a weekend or holiday counts as due on the next
working day.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directives.models import Assignment, Directive
from directives.status import COLOURS, Status, days_overdue, local_today
from notifications.api import digest_sources
from notifications.models import Channel, Notification, NotificationKind, WebhookEvent
from notifications.selectors import preference_for
from notifications.services import (
    absolute_url,
    assignment_path,
    build_rows,
    channels_for,
    dispatch_flush,
    render_message,
)
from notifications.webhook_events import PassedDeadline, emit_deadlines_passed
from notifications.webhooks import listened
from notifications.workdays import WorkingCalendar
from units.models import Role, Unit, UnitKind, User
from units.selectors import current_successors
from units.text import fold

logger = logging.getLogger(__name__)

DIGEST_ROLES = (Role.STAFF, Role.LEADER, Role.MONITOR)
# What the sweep reads of each assignment, its task and its directive.
STREAMED = (
    "pk",
    "unit_id",
    "due_on",
    "task_id",
    "task__section",
    "task__title",
    "task__directive_id",
    "task__directive__kind",
    "task__directive__code",
    "task__directive__number",
    "task__directive__subject",
    "task__directive__issued_on",
    "task__directive__confidential",
    "task__directive__monitoring_unit_id",
    "task__directive__issuer_id",
)
# Rendered rows are written once their bodies reach this many characters: a monitor's
# escalation can list tens of thousands of lines, and the last batch writes them all.
INSERT_CHARS = 4_000_000
# Hex colours for e-mail clients, which ignore style sheets; same meaning as the site's.
HEX = {"red": "#c62828", "orange": "#ef6c00", "green": "#2e7d32", "grey": "#757575"}


@dataclass(slots=True)
class Item:
    """One assignment as a reminder shows it."""

    assignment_id: int
    unit_id: int
    # The group the digest lists it under: its directive, or a digest entry's group.
    directive_id: int | str
    directive_label: str
    monitoring_unit_id: int | None
    issuer_id: int | None
    task_label: str
    due_on: datetime.date
    effective_due: datetime.date
    # "overdue", "today" or "soon"; empty when the digest does not list it today.
    category: str
    # Days until the effective due date (negative when overdue).
    delta: int
    url: str
    # "assignment", or the kind of a digest entry (notifications/api.py; never escalated).
    kind: str = "assignment"

    # The unit's name, filled in when an escalation lists the item.
    unit_name: str = ""
    # "overdue by 3 days" and "deadline 20/11/2026 (counted as ...)": the templates
    # email/_item_when.txt and email/_item_due.txt rendered for this item (ReminderSweep.phrase).
    when: str = ""
    deadline: str = ""

    @property
    def days_overdue(self) -> int:
        """Counted as everywhere else (the thresholds use ``-delta``, from the effective
        due date, so a deadline moved past a weekend does not escalate early)."""
        today = self.effective_due - datetime.timedelta(days=self.delta)
        return days_overdue(self.due_on, today)

    @property
    def status(self) -> Status:
        if self.category == "overdue":
            return Status.OVERDUE
        if self.category == "today":
            return Status.DUE_TODAY
        return Status.DUE_SOON if self.delta <= settings.DUE_SOON_DAYS else Status.NOT_DUE

    @property
    def colour(self) -> str:
        return HEX[COLOURS[self.status]]

    @property
    def moved(self) -> bool:
        return self.effective_due != self.due_on


@dataclass
class SweepResult:
    assignments: int = 0
    digests: int = 0
    escalations: int = 0
    queued: int = 0
    batches: int = 0
    units: set[int] = field(default_factory=set)


def _task_label(*, section: str, title: str, task_id: int, confidential: bool) -> str:
    # A confidential directive is named by its number only: no task title either.
    if confidential:
        return _("Task %(section)s") % {"section": section or task_id}
    return f"{section} {title}".strip()


class ReminderSweep:
    """One run of the sweep for one day (``reminders_sweep`` is the entry point)."""

    def __init__(self, *, today: datetime.date, units_per_batch: int, chunk_size: int) -> None:
        self.today = today
        self.units_per_batch = units_per_batch
        self.chunk_size = chunk_size
        self.calendar = WorkingCalendar()
        self.offsets = sorted({d for d in settings.REMINDER_OFFSETS_DAYS if d > 0}, reverse=True)
        self.leader_after = settings.ESCALATE_TO_LEADER_AFTER_DAYS
        self.monitor_after = settings.ESCALATE_TO_MONITOR_AFTER_DAYS
        self.fallback_monitoring: dict[int, int | None] = {}
        # Directive and task labels and the phrases of item lines: many items share each,
        # so each is made (and held) once per sweep.
        self.directive_labels: dict[int, str] = {}
        self.task_labels: dict[int, str] = {}
        self.phrases: dict[tuple, str] = {}
        self.assignment_url = assignment_urls()
        self.result = SweepResult()
        self.unit_names: dict[int, str] = {}
        # Everyone to escalate to today, gathered over all batches and written with the
        # last one: (user id, step) -> (user, items).
        self.escalations: dict[tuple[int, str], tuple[User, list[Item]]] = {}
        # Webhooks that listen to passed deadlines: each overdue assignment is told once.
        self.deadline_listened = listened(WebhookEvent.DEADLINE_PASSED)
        self.now = timezone.now()

    # 1. Stream -----------------------------------------------------------------------

    def assignments(self):
        """Open assignments that could be listed or escalated today, by unit: rows with
        the fields ``item`` reads, not model instances (there are hundreds of thousands).

        A shifted deadline only ever moves later, so nothing due after today plus the
        largest offset can be due within an offset of today.
        """
        horizon = self.today + datetime.timedelta(days=max(self.offsets, default=0))
        return (
            Assignment.objects.filter(
                completed_on__isnull=True,
                cancelled=False,
                due_on__isnull=False,
                due_on__lte=horizon,
            )
            .order_by("unit_id", "task__directive_id", "due_on", "pk")
            .values_list(*STREAMED, named=True)
            .iterator(chunk_size=self.chunk_size)
        )

    def directive_label(self, row) -> str:
        """The directive's title, made once per directive."""
        label = self.directive_labels.get(row.task__directive_id)
        if label is None:
            directive = Directive(
                pk=row.task__directive_id,
                kind=row.task__directive__kind,
                code=row.task__directive__code,
                number=row.task__directive__number,
                subject=row.task__directive__subject,
                issued_on=row.task__directive__issued_on,
                confidential=row.task__directive__confidential,
            )
            label = self.directive_labels[directive.pk] = directive.title
        return label

    def task_label(self, row) -> str:
        """The task's label, made once per task (a task goes to many units)."""
        label = self.task_labels.get(row.task_id)
        if label is None:
            label = self.task_labels[row.task_id] = _task_label(
                section=row.task__section,
                title=row.task__title,
                task_id=row.task_id,
                confidential=row.task__directive__confidential,
            )
        return label

    def item(self, row) -> Item:
        """The item of one row of ``assignments``."""
        effective = self.calendar.effective_due(row.due_on)
        delta = (effective - self.today).days
        return Item(
            assignment_id=row.pk,
            unit_id=row.unit_id,
            directive_id=row.task__directive_id,
            directive_label=self.directive_label(row),
            monitoring_unit_id=row.task__directive__monitoring_unit_id,
            issuer_id=row.task__directive__issuer_id,
            task_label=self.task_label(row),
            due_on=row.due_on,
            effective_due=effective,
            category=self.category(delta),
            delta=delta,
            url=self.assignment_url(row.pk),
        )

    def phrase(self, template: str, key: tuple, item: Item) -> str:
        """``template`` rendered for ``item``, or for an earlier item with the same ``key``.

        Rendered once with autoescaping, and the text bodies use it too: its only variables
        are numbers and dates, which escaping leaves unchanged."""
        if (template, *key) not in self.phrases:
            self.phrases[(template, *key)] = render_to_string(template, {"item": item})
        return self.phrases[(template, *key)]

    def describe(self, item: Item) -> Item:
        """Fill in the phrases of a listed item's line (not needed for the others)."""
        days = item.days_overdue if item.category == "overdue" else item.delta
        item.when = self.phrase("email/_item_when.txt", (item.category, days), item)
        item.deadline = self.phrase("email/_item_due.txt", (item.due_on, item.effective_due), item)
        return item

    def category(self, delta: int) -> str:
        """How the digest lists something due in ``delta`` days; empty: not today."""
        if delta < 0:
            return "overdue"
        if delta == 0:
            return "today"
        return "soon" if delta in self.offsets else ""

    def run(self) -> SweepResult:
        """1. stream the assignments by unit; 2. turn each into an item; 3. every few
        hundred units, queue that batch's messages in one transaction (a crash midway keeps
        the batches done, and the rerun skips them by key); 4. ask the worker to send."""
        batch: dict[int, list[Item]] = defaultdict(list)

        def add(unit_id: int, items: list[Item]) -> None:
            nonlocal batch
            if unit_id not in batch:
                if len(batch) >= self.units_per_batch:
                    self.write_batch(batch, last=False)
                    batch = defaultdict(list)
                # What else the unit owes joins its one digest of the day.
                batch[unit_id].extend(owed.pop(unit_id, []))
            batch[unit_id].extend(items)

        with translation.override(settings.LANGUAGE_CODE):
            owed = self.owed_items()
            for row in self.assignments():
                self.result.assignments += 1
                item = self.item(row)
                if item.category:
                    add(item.unit_id, [self.describe(item)])
            for unit_id in sorted(owed):
                add(unit_id, [])
            if batch:
                self.write_batch(batch, last=True)
        if self.result.queued:
            transaction.on_commit(dispatch_flush)
        return self.result

    def owed_items(self) -> dict[int, list[Item]]:
        """What units owe besides assignments (the registered digest sources, see
        notifications/api.py) that is due today, overdue or one of the offsets away, by
        unit."""
        horizon = self.today + datetime.timedelta(days=max(self.offsets, default=0))
        items: dict[int, list[Item]] = defaultdict(list)
        for source in digest_sources():
            for entry in source(horizon):
                effective = self.calendar.effective_due(entry.due_on)
                delta = (effective - self.today).days
                category = self.category(delta)
                if not category:
                    continue
                items[entry.unit_id].append(
                    self.describe(
                        Item(
                            assignment_id=entry.ref_id,
                            unit_id=entry.unit_id,
                            directive_id=entry.group,
                            directive_label=entry.group_label,
                            monitoring_unit_id=None,
                            issuer_id=None,
                            task_label=entry.label,
                            due_on=entry.due_on,
                            effective_due=effective,
                            category=category,
                            delta=delta,
                            url=entry.url,
                            kind=entry.kind,
                        )
                    )
                )
        return items

    # 2. Recipients ---------------------------------------------------------------------

    def monitoring_unit_id(self, item: Item) -> int | None:
        if item.monitoring_unit_id:
            return item.monitoring_unit_id
        if item.issuer_id not in self.fallback_monitoring:
            self.fallback_monitoring[item.issuer_id] = fallback_monitoring_unit_id(item.issuer_id)
        return self.fallback_monitoring[item.issuer_id]

    # 3. Write one batch ------------------------------------------------------------------

    @transaction.atomic
    def write_batch(self, batch: dict[int, list[Item]], *, last: bool) -> None:
        self.result.batches += 1
        self.result.units.update(batch)
        day = self.today.isoformat()
        members: dict[int, list[User]] = defaultdict(list)
        for user in (
            User.objects.filter(unit_id__in=list(batch), is_active=True, role__in=DIGEST_ROLES)
            .select_related("unit", "notification_preference")
            .order_by("pk")
        ):
            members[user.unit_id].append(user)
        self.unit_names.update(Unit.objects.filter(pk__in=list(batch)).values_list("pk", "name"))
        if self.deadline_listened:
            paths = dict(Unit.objects.filter(pk__in=list(batch)).values_list("pk", "path"))
            emit_deadlines_passed(
                PassedDeadline(
                    assignment_id=item.assignment_id,
                    directive_id=item.directive_id,
                    unit_id=item.unit_id,
                    unit_path=paths.get(item.unit_id, ""),
                    due_on=item.due_on,
                )
                for items in batch.values()
                for item in items
                if item.category == "overdue" and item.kind == "assignment"
            )

        escalations: list[tuple[Item, str]] = []
        for items in batch.values():
            for item in items:
                if item.category != "overdue" or item.kind != "assignment":
                    continue
                if item.days_overdue >= self.leader_after:
                    escalations.append((item, "leader"))
                if item.days_overdue >= self.monitor_after:
                    escalations.append((item, "monitor"))
        monitoring_ids = {
            self.monitoring_unit_id(item) for item, step in escalations if step == "monitor"
        } - {None}
        monitors: dict[int, list[User]] = defaultdict(list)
        if monitoring_ids:
            for user in (
                User.objects.filter(unit_id__in=monitoring_ids, is_active=True, role=Role.MONITOR)
                .select_related("unit", "notification_preference")
                .order_by("pk")
            ):
                monitors[user.unit_id].append(user)

        # Every message this batch could queue, then what the outbox already holds.
        planned: list[tuple[str, User, str, dict]] = []
        for unit_id, items in batch.items():
            for user in members[unit_id]:
                planned.append((f"digest:{user.pk}:{day}", user, "digest", {"items": items}))
        for item, step in escalations:
            item.unit_name = self.unit_names.get(item.unit_id, "")
            if step == "leader":
                recipients = [u for u in members[item.unit_id] if u.role == Role.LEADER]
            else:
                recipients = monitors.get(self.monitoring_unit_id(item), [])
            for user in recipients:
                self.escalations.setdefault((user.pk, step), (user, []))[1].append(item)
        if last:
            for (_user_id, step), (user, items) in self.escalations.items():
                planned.append((f"escalate:{step}:{day}", user, step, {"items": items}))
        keys = {key for key, *_ in planned}
        existing = set(
            Notification.objects.filter(dedup_key__in=keys).values_list(
                "dedup_key", "recipient_id", "channel"
            )
        )

        rows: list[Notification] = []
        size = 0
        for key, user, what, data in planned:
            preference = preference_for(user=user)
            if what == "digest" and not preference.digest_enabled:
                continue
            channels = [
                c
                for c in channels_for(
                    user=user, preference=preference, requested=(Channel.EMAIL, Channel.INAPP)
                )
                if (key, user.pk, c) not in existing
            ]
            if not channels:
                continue
            if what == "digest":
                made = self.digest_rows(key=key, user=user, items=data["items"], channels=channels)
                self.result.digests += 1
            else:
                made = self.escalation_rows(
                    key=key, user=user, items=data["items"], step=what, channels=channels
                )
                self.result.escalations += 1
            rows += made
            size += sum(len(r.body_text) + len(r.body_html) for r in made)
            if size >= INSERT_CHARS:
                self.insert(rows)
                rows, size = [], 0
        self.insert(rows)

    def insert(self, rows: list[Notification]) -> None:
        """Write rows to the outbox and count those this sweep inserted."""
        if not rows:
            return
        # ON CONFLICT DO NOTHING: a concurrent sweep that queued the same key first wins.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        # bulk_create returns every row given, inserted or not: count the rows this sweep
        # wrote (stamped with its own time), not those a concurrent sweep had written.
        mine = {(r.dedup_key, r.recipient_id, r.channel) for r in rows}
        written = Notification.objects.filter(
            created_at=self.now, dedup_key__in={key for key, _u, _c in mine}
        ).values_list("dedup_key", "recipient_id", "channel")
        self.result.queued += sum(1 for triple in written if triple in mine)

    def digest_rows(self, *, key: str, user: User, items: list[Item], channels) -> list:
        groups: dict[int, dict] = {}
        for item in items:
            group = groups.setdefault(
                item.directive_id, {"label": item.directive_label, "items": []}
            )
            group["items"].append(item)
        counts = {
            "overdue": sum(1 for i in items if i.category == "overdue"),
            "today": sum(1 for i in items if i.category == "today"),
            "soon": sum(1 for i in items if i.category == "soon"),
        }
        subject = _(
            "Reminder %(day)s: %(overdue)d overdue, %(today)d due today, %(soon)d due soon"
        ) % {
            "day": self.today.strftime("%d/%m/%Y"),
            **counts,
        }
        context = {
            "unit": user.unit,
            "today": self.today,
            "groups": list(groups.values()),
            "counts": counts,
            "link": items[0].url if len(items) == 1 else absolute_url(reverse("progress:my_work")),
            "reason": _(
                "You receive this e-mail because you work at %(unit)s, which holds these tasks."
            )
            % {"unit": user.unit},
        }
        text, html = render_message(template="email/digest", context=context, recipient=user)
        return build_rows(
            recipient=user,
            channels=channels,
            kind=NotificationKind.DIGEST,
            dedup_key=key,
            subject=subject,
            body_text=text,
            body_html=html,
            link=context["link"],
            now=self.now,
        )

    def escalation_rows(
        self, *, key: str, user: User, items: list[Item], step: str, channels
    ) -> list:
        """One message listing every overdue item for ``user``, grouped by unit (units in
        name order, items most overdue first), each line naming its unit and its task."""
        groups: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            groups[item.unit_name].append(item)
        ordered = [
            {
                "unit": name,
                "items": sorted(found, key=lambda i: (-i.days_overdue, i.task_label)),
            }
            for name, found in sorted(groups.items(), key=lambda pair: fold(pair[0]))
        ]
        subject = _("Overdue on %(day)s: %(count)d tasks of %(units)d units") % {
            "day": self.today.strftime("%d/%m/%Y"),
            "count": len(items),
            "units": len(groups),
        }
        if step == "leader":
            reason = _(
                "You receive this e-mail because you lead %(unit)s, which holds these tasks."
            )
        else:
            reason = _(
                "You receive this e-mail because %(unit)s monitors the directives these tasks "
                "come from."
            )
        link = items[0].url if len(items) == 1 else absolute_url(reverse("home"))
        context = {
            "groups": ordered,
            "count": len(items),
            "today": self.today,
            "step": step,
            "link": link,
            "reason": reason % {"unit": user.unit},
        }
        text, html = render_message(template="email/escalation", context=context, recipient=user)
        return build_rows(
            recipient=user,
            channels=channels,
            kind=NotificationKind.ESCALATION_LEADER
            if step == "leader"
            else NotificationKind.ESCALATION_MONITOR,
            dedup_key=key,
            subject=subject,
            body_text=text,
            body_html=html,
            link=link,
            now=self.now,
        )


def assignment_urls() -> Callable[[int], str]:
    """``absolute_url(assignment_path(pk))`` for many ids: the URL is reversed once, for an
    id that appears nowhere else in it, and each id is put in its place."""
    sample = 918273645
    head, found, tail = absolute_url(assignment_path(sample)).rpartition(str(sample))
    if not found:
        return lambda pk: absolute_url(assignment_path(pk))
    return lambda pk: f"{head}{pk}{tail}"


def fallback_monitoring_unit_id(issuer_id: int) -> int | None:
    """The Ban Dân vận of the committee that issued a directive (rule in the docstring)."""
    issuer = Unit.objects.filter(pk=issuer_id).first()
    if issuer is None:
        return None
    committee = issuer.committee()
    if committee.valid_to is not None:
        # A committee merged away: its successor's board follows its directives now.
        committee = next(iter(current_successors(committee)), committee)
    boards = Unit.objects.get_children(committee).filter(kind=UnitKind.PARTY_BOARD).active()
    for unit in boards:
        if "dan van" in fold(unit.name):
            return unit.pk
    return None


def reminders_sweep(
    *, today: datetime.date | None = None, units_per_batch: int = 200, chunk_size: int = 2000
) -> SweepResult:
    """Queue today's digests and escalations that are not queued yet (module docstring)."""
    sweep = ReminderSweep(
        today=today or local_today(), units_per_batch=units_per_batch, chunk_size=chunk_size
    )
    result = sweep.run()
    logger.info(
        "reminders: %d assignments read, %d digests, %d escalations, %d rows queued",
        result.assignments,
        result.digests,
        result.escalations,
        result.queued,
    )
    return result
