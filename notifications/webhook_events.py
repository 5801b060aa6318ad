"""Which webhook event each change of the work becomes: one function per event, queued
through ``webhooks.webhook_emit`` with a key named after the event, so a second call
queues nothing. The directives app's signals are connected in ``connect`` (apps.py); the
morning sweep (reminders.py) emits ``deadline.passed``, and the reports app emits
``rollup.ready`` through notifications/api.py.

Each body names the objects by id (to be read through the API with a key) and never
carries a task's or a directive's text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from directives import signals
from directives.models import Assignment, Directive, ProgressReport
from notifications.models import WebhookEvent
from notifications.webhooks import Event, webhook_emit, webhook_emit_many


def _assignment_data(assignment: Assignment) -> dict:
    return {
        "assignment_id": assignment.pk,
        "task_id": assignment.task_id,
        "directive_id": assignment.task.directive_id,
        "unit_id": assignment.unit_id,
        "due_on": assignment.due_on.isoformat() if assignment.due_on else None,
    }


def emit_directive_issued(directive: Directive) -> None:
    webhook_emit(
        event=WebhookEvent.DIRECTIVE_ISSUED,
        key=f"directive.issued:{directive.pk}",
        data={
            "directive_id": directive.pk,
            "code": directive.code,
            "issuer_id": directive.issuer_id,
            "issued_on": directive.issued_on.isoformat() if directive.issued_on else None,
        },
        unit_path=directive.issuer.path,
    )


def emit_task_assigned(assignments: Iterable[Assignment]) -> None:
    for assignment in assignments:
        webhook_emit(
            event=WebhookEvent.TASK_ASSIGNED,
            key=f"task.assigned:{assignment.pk}",
            data=_assignment_data(assignment),
            unit_path=assignment.unit.path,
        )


def emit_report(report: ProgressReport, event: str) -> None:
    assignment = report.assignment
    webhook_emit(
        event=event,
        key=f"{event}:{report.pk}",
        data={
            "report_id": report.pk,
            "status": report.status,
            "percent": report.percent,
            **_assignment_data(assignment),
        },
        unit_path=assignment.unit.path,
    )


def emit_report_reviewed(report: ProgressReport) -> None:
    returned = report.status == "returned"
    emit_report(report, WebhookEvent.REPORT_RETURNED if returned else WebhookEvent.REPORT_ACCEPTED)


@dataclass(frozen=True)
class PassedDeadline:
    assignment_id: int
    directive_id: int
    unit_id: int
    unit_path: str
    due_on: datetime.date


def emit_deadlines_passed(passed: Iterable[PassedDeadline]) -> None:
    """Open assignments whose deadline has passed (once per assignment and due date: a
    deadline extended and passed again is told again)."""
    webhook_emit_many(
        event=WebhookEvent.DEADLINE_PASSED,
        events=[
            Event(
                key=f"deadline.passed:{p.assignment_id}:{p.due_on.isoformat()}",
                data={
                    "assignment_id": p.assignment_id,
                    "directive_id": p.directive_id,
                    "unit_id": p.unit_id,
                    "due_on": p.due_on.isoformat(),
                },
                unit_path=p.unit_path,
            )
            for p in passed
        ],
    )


def emit_rollup_ready(
    *, rollup_id: int, code: str, committee_id: int, committee_path: str, built_at
) -> None:
    """A roll-up report was built (told once per build)."""
    stamp = built_at.isoformat() if built_at else ""
    webhook_emit(
        event=WebhookEvent.ROLLUP_READY,
        key=f"rollup.ready:{rollup_id}:{stamp}",
        data={"rollup_id": rollup_id, "code": code, "committee_id": committee_id},
        unit_path=committee_path,
    )


def connect() -> None:
    """Listen to the directives app's signals (called once, from apps.py)."""
    signals.directive_issued.connect(
        lambda sender, directive, **kw: emit_directive_issued(directive),
        weak=False,
        dispatch_uid="webhooks.directive_issued",
    )
    signals.assignments_given.connect(
        lambda sender, assignments, **kw: emit_task_assigned(assignments),
        weak=False,
        dispatch_uid="webhooks.assignments_given",
    )
    signals.report_submitted.connect(
        lambda sender, report, **kw: emit_report(report, WebhookEvent.REPORT_SUBMITTED),
        weak=False,
        dispatch_uid="webhooks.report_submitted",
    )
    signals.report_reviewed.connect(
        lambda sender, report, **kw: emit_report_reviewed(report),
        weak=False,
        dispatch_uid="webhooks.report_reviewed",
    )
    signals.report_returned_by_leader.connect(
        lambda sender, report, **kw: emit_report(report, WebhookEvent.REPORT_RETURNED),
        weak=False,
        dispatch_uid="webhooks.report_returned_by_leader",
    )
