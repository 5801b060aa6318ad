"""What units report on their assignments and ask, and what the monitor decides."""

from __future__ import annotations

import datetime
import mimetypes
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directives import signals
from directives.models import (
    Assignment,
    DecisionStatus,
    ExplanationRequest,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
    ReportStatus,
)
from directives.status import local_today, next_occurrence
from directives.uploads import validate_upload
from units.models import Role, User


def _can_report(user: User, assignment: Assignment) -> bool:
    return user.has_perm("directives.report_on_assignment", assignment)


@transaction.atomic
def assignment_submit_progress(
    *,
    assignment: Assignment,
    author: User,
    percent: int,
    results: str,
    reported_on: datetime.date | None = None,
    completed: bool = False,
    difficulties: str = "",
    proposals: str = "",
    indicator_value: Decimal | None = None,
    files: Sequence[UploadedFile] = (),
    resubmission_of: ProgressReport | None = None,
    carried_attachment_ids: Sequence[int] = (),
) -> ProgressReport:
    """A unit reports progress on ``assignment``.

    1. check the author may report for this assignment and it is still open;
    2. check every file (type, content, size) before anything is written;
    3. store the report and its files; a report answering a returned one points to it
       and keeps those of the returned report's files named in ``carried_attachment_ids``
       (the same stored file, linked again: nothing is copied or re-uploaded);
    4. where the committee asks leaders to approve (``Unit.leader_approval``) and the
       unit has a leader, a staff member's report waits for the leader, who is told.
    """
    if not _can_report(author, assignment):
        raise PermissionDenied
    if not assignment.is_open:
        raise ValidationError(_("This assignment is closed; no further report is needed."))
    if resubmission_of is not None and (
        resubmission_of.assignment_id != assignment.pk
        or resubmission_of.status != ReportStatus.RETURNED
        or ProgressReport.objects.filter(resubmission_of=resubmission_of).exists()
    ):
        raise ValidationError(_("Only a returned report can be answered, and only once."))
    for upload in files:
        validate_upload(upload)
    carried = []
    if carried_attachment_ids:
        if resubmission_of is None:
            raise ValidationError(_("Only files of the returned report can be kept."))
        carried = list(
            resubmission_of.attachments.filter(pk__in=list(carried_attachment_ids)).order_by("pk")
        )
    if completed:
        percent = 100
    needs_leader = (
        author.role != Role.LEADER
        and assignment.unit.leader_approval_required()
        and User.objects.filter(
            unit_id=assignment.unit_id, is_active=True, role=Role.LEADER
        ).exists()
    )
    report = ProgressReport(
        assignment=assignment,
        author=author,
        reported_on=reported_on or local_today(),
        percent=percent,
        completed=completed or percent == 100,
        results=results,
        difficulties=difficulties,
        proposals=proposals,
        indicator_value=indicator_value,
        resubmission_of=resubmission_of,
        status=ReportStatus.AWAITING_LEADER if needs_leader else ReportStatus.SUBMITTED,
    )
    report.full_clean(exclude=["author", "assignment", "resubmission_of"])
    if report.reported_on > local_today():
        raise ValidationError({"reported_on": _("The report date cannot be in the future.")})
    report.save()
    for upload in files:
        ProgressAttachment.objects.create(
            report=report,
            file=upload,
            original_name=upload.name,
            content_type=upload.content_type
            or mimetypes.guess_type(upload.name)[0]
            or "application/octet-stream",
            size=upload.size,
        )
    for old in carried:
        ProgressAttachment.objects.create(
            report=report,
            file=old.file.name,
            original_name=old.original_name,
            content_type=old.content_type,
            size=old.size,
        )
    if needs_leader:
        signals.report_awaiting_leader.send(sender=ProgressReport, report=report)
    else:
        signals.report_submitted.send(sender=ProgressReport, report=report)
    return report


def can_approve_for_unit(user: User, report: ProgressReport) -> bool:
    """Is ``user`` the leader of the unit that wrote ``report``?"""
    return user.has_perm("directives.approve_report", report)


@transaction.atomic
def progress_leader_decide(
    *, report: ProgressReport, leader: User, approve: bool, comment: str = ""
) -> ProgressReport:
    """The unit leader lets a report go to the committee's monitors, or returns it to its
    author with a comment (answered like a report the monitor returned)."""
    report = (
        ProgressReport.objects.select_for_update()
        .select_related("assignment__unit", "author")
        .get(pk=report.pk)
    )
    if not can_approve_for_unit(leader, report):
        raise PermissionDenied
    if report.status != ReportStatus.AWAITING_LEADER:
        raise ValidationError(_("This report has already been reviewed."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say why the report is returned.")})
    now = timezone.now()
    if approve:
        report.status = ReportStatus.SUBMITTED
        report.approved_by = leader
        report.approved_at = now
        report.save(update_fields=["status", "approved_by", "approved_at"])
        signals.report_submitted.send(sender=ProgressReport, report=report)
    else:
        report.status = ReportStatus.RETURNED
        report.reviewed_by = leader
        report.reviewed_at = now
        report.review_comment = comment
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        signals.report_returned_by_leader.send(sender=ProgressReport, report=report)
    return report


def can_review(user: User, assignment: Assignment) -> bool:
    return user.has_perm("directives.review_assignment", assignment)


@transaction.atomic
def progress_review(
    *, report: ProgressReport, reviewer: User, accept: bool, comment: str = ""
) -> ProgressReport:
    """The monitor accepts a report (the assignment's progress follows it) or returns it
    with a comment for the unit to answer.

    The report row is locked and must still await review, so two reviewers clicking at
    once cannot both decide. On acceptance of a completing report the assignment is done,
    or, for a recurring duty, moves to its next occurrence.
    """
    report = (
        ProgressReport.objects.select_for_update().select_related("assignment").get(pk=report.pk)
    )
    assignment = Assignment.objects.select_for_update().get(pk=report.assignment_id)
    if not can_review(reviewer, assignment):
        raise PermissionDenied
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("This report has already been reviewed."))
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say why the report is returned.")})
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.reviewed_by = reviewer
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    # An older report accepted after a newer one does not set the progress back.
    newest = (
        assignment.last_reported_on is None or report.reported_on >= assignment.last_reported_on
    )
    if accept and assignment.is_open and (newest or report.completed):
        assignment.last_reported_on = max(
            report.reported_on, assignment.last_reported_on or report.reported_on
        )
        assignment.progress = report.percent
        if report.completed and assignment.recurrence and assignment.due_on:
            assignment.due_on = next_occurrence(assignment.due_on, assignment.recurrence)
            assignment.original_due_on = assignment.due_on
            assignment.progress = 0
        elif report.completed:
            assignment.completed_on = report.reported_on
        assignment.save()
    signals.report_reviewed.send(sender=ProgressReport, report=report)
    return report


@transaction.atomic
def extension_request_create(
    *, assignment: Assignment, by: User, proposed_due_on: datetime.date, reason: str
) -> ExtensionRequest:
    if not _can_report(by, assignment):
        raise PermissionDenied
    if not assignment.is_open or assignment.due_on is None:
        raise ValidationError(_("Only an open assignment with a due date can be extended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the request.")})
    if proposed_due_on <= assignment.due_on:
        raise ValidationError(
            {"proposed_due_on": _("The proposed date must be later than the current due date.")}
        )
    if assignment.extension_requests.filter(status=DecisionStatus.PENDING).exists():
        raise ValidationError(_("This assignment already has a pending request."))
    return ExtensionRequest.objects.create(
        assignment=assignment,
        requested_by=by,
        current_due_on=assignment.due_on,
        proposed_due_on=proposed_due_on,
        reason=reason.strip(),
    )


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, by: User, approve: bool, comment: str = ""
) -> ExtensionRequest:
    """Approve (the due date moves; the original date stays) or refuse a request."""
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    assignment = Assignment.objects.select_for_update().get(pk=request.assignment_id)
    if not can_review(by, assignment):
        raise PermissionDenied
    if request.status != DecisionStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the request is refused.")})
    request.status = DecisionStatus.APPROVED if approve else DecisionStatus.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_comment = comment.strip()
    request.save()
    if approve:
        if assignment.original_due_on is None:
            assignment.original_due_on = assignment.due_on
        assignment.due_on = request.proposed_due_on
        assignment.save(update_fields=["due_on", "original_due_on"])
    signals.extension_decided.send(sender=ExtensionRequest, request=request)
    return request


@transaction.atomic
def explanation_request_create(
    *, assignment: Assignment, by: User, message: str
) -> ExplanationRequest:
    if not can_review(by, assignment):
        raise PermissionDenied
    if not assignment.is_open or assignment.due_on is None or assignment.due_on >= local_today():
        raise ValidationError(_("An explanation can only be asked for an overdue assignment."))
    if not message.strip():
        raise ValidationError({"message": _("Write what should be explained.")})
    request = ExplanationRequest.objects.create(
        assignment=assignment, requested_by=by, message=message.strip()
    )
    signals.explanation_requested.send(sender=ExplanationRequest, request=request)
    return request


def explanation_answer(*, request: ExplanationRequest, by: User, answer: str) -> ExplanationRequest:
    if not _can_report(by, request.assignment):
        raise PermissionDenied
    if request.answered_at is not None:
        raise ValidationError(_("This request has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the explanation.")})
    request.answer = answer.strip()
    request.answered_by = by
    request.answered_at = timezone.now()
    request.save()
    return request
