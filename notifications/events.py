"""Who hears about what happens to the work: one function per event of
directives/signals.py (connected in apps.py), each queueing one message per person
concerned (the inbox, and e-mail unless the person keeps messages in the application).
Every message has a de-duplication key named after the event, so a second call sends
nothing more.

- ``assigned:<assignment>``: a task given to a unit, to its staff and leaders;
- ``report:<report>:returned`` / ``:accepted``: the monitor's decision, to the author
  (a return carries the comment);
- ``report:<report>:to-approve``: a report waiting for the unit leader, to the leaders;
- ``report:<report>:leader-returned``: the leader sent it back, to the author;
- ``extension:<request>:decided``: approved or refused, to whoever asked;
- ``explanation:<request>``: the monitor asks the unit why it is late, to its people.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from directives import signals
from directives.models import Assignment, ExplanationRequest, ExtensionRequest, ProgressReport
from notifications.services import absolute_url, notification_enqueue
from units.models import Role, Unit, User


def unit_people(unit_id: int) -> list[User]:
    """The active staff and leaders of a unit: the people who do its work."""
    return list(
        User.objects.filter(
            unit_id=unit_id, is_active=True, role__in=(Role.STAFF, Role.LEADER)
        ).order_by("pk")
    )


def unit_leaders(unit_id: int) -> list[User]:
    return list(
        User.objects.filter(unit_id=unit_id, is_active=True, role=Role.LEADER).order_by("pk")
    )


def _assignment_link(assignment_id: int) -> str:
    return absolute_url(reverse("progress:assignment_detail", args=[assignment_id]))


def _task_label(assignment: Assignment) -> str:
    task = assignment.task
    if task.directive.confidential:
        return _("Task %(section)s") % {"section": task.section or task.pk}
    return f"{task.section} {task.title}".strip()


def _send(
    *,
    recipients: Iterable[User],
    kind: str,
    key: str,
    subject: str,
    message: str,
    assignment: Assignment,
    about,
    reason: str,
    quote: str = "",
) -> int:
    link = _assignment_link(assignment.pk)
    context = {
        "message": message,
        "quote": quote,
        "directive_label": assignment.task.directive.title,
        "task_label": _task_label(assignment),
        "unit": assignment.unit,
        "due_on": assignment.due_on,
        "link": link,
        "reason": reason,
    }
    sent = 0
    for user in recipients:
        notification_enqueue(
            recipient=user,
            kind=kind,
            dedup_key=key,
            subject=subject,
            template="email/event",
            context=context,
            about=about,
        )
        sent += 1
    return sent


def announce_assignments(assignments: Iterable[Assignment]) -> int:
    """A task was given to units: its people hear of it once."""
    sent = 0
    for assignment in assignments:
        unit: Unit = assignment.unit
        sent += _send(
            recipients=unit_people(assignment.unit_id),
            kind="assigned",
            key=f"assigned:{assignment.pk}",
            subject=_("New task for %(unit)s: %(task)s")
            % {
                "unit": unit.name,
                "task": _task_label(assignment),
            },
            message=_("%(unit)s has been given a task.") % {"unit": unit.name},
            assignment=assignment,
            about=assignment,
            reason=_("You receive this because you work at %(unit)s.") % {"unit": unit.name},
        )
    return sent


def announce_review(report: ProgressReport) -> int:
    """The monitor accepted or returned a report: its author hears of it."""
    assignment = report.assignment
    returned = report.status == "returned"
    label = _task_label(assignment)
    if returned:
        subject = _("Report returned: %(task)s") % {"task": label}
        message = _("Your report was returned by %(who)s. Please answer it.") % {
            "who": report.reviewed_by
        }
    else:
        subject = _("Report accepted: %(task)s") % {"task": label}
        message = _("Your report was accepted by %(who)s.") % {"who": report.reviewed_by}
    return _send(
        recipients=[report.author],
        kind="report_returned" if returned else "report_accepted",
        key=f"report:{report.pk}:{report.status}",
        subject=subject,
        message=message,
        quote=report.review_comment,
        assignment=assignment,
        about=report,
        reason=_("You receive this because you wrote the report."),
    )


def announce_awaiting_leader(report: ProgressReport) -> int:
    """A report waits for the unit leader's approval: the leaders hear of it."""
    assignment = report.assignment
    return _send(
        recipients=[u for u in unit_leaders(assignment.unit_id) if u.pk != report.author_id],
        kind="report_to_approve",
        key=f"report:{report.pk}:to-approve",
        subject=_("Report to approve: %(task)s") % {"task": _task_label(assignment)},
        message=_("%(who)s sent a report that needs your approval before the committee sees it.")
        % {"who": report.author},
        assignment=assignment,
        about=report,
        reason=_("You receive this because you lead %(unit)s.") % {"unit": assignment.unit},
    )


def announce_leader_return(report: ProgressReport) -> int:
    assignment = report.assignment
    return _send(
        recipients=[report.author],
        kind="report_returned",
        key=f"report:{report.pk}:leader-returned",
        subject=_("Report returned by your leader: %(task)s") % {"task": _task_label(assignment)},
        message=_("Your report was returned by %(who)s. Please answer it.")
        % {"who": report.reviewed_by},
        quote=report.review_comment,
        assignment=assignment,
        about=report,
        reason=_("You receive this because you wrote the report."),
    )


def announce_extension_decision(request: ExtensionRequest) -> int:
    assignment = request.assignment
    label = _task_label(assignment)
    if request.status == "approved":
        subject = _("Extension approved: %(task)s") % {"task": label}
        message = _("The new due date is %(day)s.") % {
            "day": request.proposed_due_on.strftime("%d/%m/%Y")
        }
    else:
        subject = _("Extension refused: %(task)s") % {"task": label}
        message = _("The due date stays %(day)s.") % {
            "day": request.current_due_on.strftime("%d/%m/%Y")
        }
    return _send(
        recipients=[request.requested_by],
        kind="extension_decided",
        key=f"extension:{request.pk}:decided",
        subject=subject,
        message=message,
        quote=request.decision_comment,
        assignment=assignment,
        about=request,
        reason=_("You receive this because you asked for the extension."),
    )


def announce_explanation_request(request: ExplanationRequest) -> int:
    assignment = request.assignment
    return _send(
        recipients=unit_people(assignment.unit_id),
        kind="explanation_requested",
        key=f"explanation:{request.pk}",
        subject=_("Explanation requested: %(task)s") % {"task": _task_label(assignment)},
        message=_("%(who)s asks %(unit)s to explain why this task is overdue.")
        % {"who": request.requested_by, "unit": assignment.unit},
        quote=request.message,
        assignment=assignment,
        about=request,
        reason=_("You receive this because you work at %(unit)s.") % {"unit": assignment.unit},
    )


def connect() -> None:
    """Listen to the directives app's signals (called once, from apps.py)."""
    signals.assignments_given.connect(
        lambda sender, assignments, **kw: announce_assignments(assignments),
        weak=False,
        dispatch_uid="notifications.assignments_given",
    )
    signals.report_awaiting_leader.connect(
        lambda sender, report, **kw: announce_awaiting_leader(report),
        weak=False,
        dispatch_uid="notifications.report_awaiting_leader",
    )
    signals.report_returned_by_leader.connect(
        lambda sender, report, **kw: announce_leader_return(report),
        weak=False,
        dispatch_uid="notifications.report_returned_by_leader",
    )
    signals.report_reviewed.connect(
        lambda sender, report, **kw: announce_review(report),
        weak=False,
        dispatch_uid="notifications.report_reviewed",
    )
    signals.extension_decided.connect(
        lambda sender, request, **kw: announce_extension_decision(request),
        weak=False,
        dispatch_uid="notifications.extension_decided",
    )
    signals.explanation_requested.connect(
        lambda sender, request, **kw: announce_explanation_request(request),
        weak=False,
        dispatch_uid="notifications.explanation_requested",
    )
