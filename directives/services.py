"""Writes to directives, tasks, assignments and reports that are more than a form save."""

from __future__ import annotations

import datetime
import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from access.permissions import directive_editable_q
from directives.models import (
    Assignment,
    AssignmentRole,
    DeadlineKind,
    DecisionStatus,
    Directive,
    DirectiveReference,
    ExplanationRequest,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
    ReportStatus,
    Task,
)
from directives.status import local_today, next_occurrence
from units.models import Unit, User
from units.signals import unit_merged

# Office documents, PDFs, images and archives: what units attach as evidence.
ALLOWED_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".ppt", ".pptx",
    ".txt", ".rtf", ".jpg", ".jpeg", ".png", ".zip",
}  # fmt: skip
# The first bytes of the formats above; a renamed executable is refused.
MAGIC = {
    ".pdf": [b"%PDF"],
    ".png": [b"\x89PNG"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".zip": [b"PK"],
    ".docx": [b"PK"],
    ".xlsx": [b"PK"],
    ".pptx": [b"PK"],
    ".odt": [b"PK"],
    ".ods": [b"PK"],
    ".doc": [b"\xd0\xcf\x11\xe0"],
    ".xls": [b"\xd0\xcf\x11\xe0"],
    ".ppt": [b"\xd0\xcf\x11\xe0"],
    ".rtf": [b"{\\rtf"],
}


def validate_attachment(upload: UploadedFile) -> None:
    """Refuse a file whose type is not accepted, whose content does not match its name,
    or that is larger than MAX_UPLOAD_MB, with a message saying which and why."""
    name = upload.name or ""
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s”: this file type is not accepted. Accepted types: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(ALLOWED_EXTENSIONS))}
        )
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the largest accepted file is %(limit)d MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "limit": settings.MAX_UPLOAD_MB}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    signatures = MAGIC.get(extension)
    if signatures:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError(
                _("“%(name)s” does not contain what its name says; it was not accepted.")
                % {"name": name}
            )


# --- References ------------------------------------------------------------------------


@dataclass(frozen=True)
class CitedDocument:
    code: str
    date: datetime.date | None = None
    issuer: str = ""
    text: str = ""


def _matching_directive(cited: CitedDocument) -> Directive | None:
    candidates = Directive.objects.filter(code=cited.code)
    if cited.date:
        candidates = candidates.filter(issued_on=cited.date)
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


@transaction.atomic
def directive_set_references(*, directive: Directive, cited: Iterable[CitedDocument]) -> None:
    """Record what ``directive`` cites, linking each citation to a known document."""
    for doc in cited:
        if doc.code == directive.code:
            continue
        DirectiveReference.objects.update_or_create(
            directive=directive,
            cited_code=doc.code,
            defaults={
                "cited_date": doc.date,
                "cited_issuer": doc.issuer,
                "cited_text": doc.text,
                "target": _matching_directive(doc),
            },
        )


def references_link_pending(*, directive: Directive, by: User | None = None) -> int:
    """Link earlier citations of ``directive`` that were waiting for it to arrive; with
    ``by``, only in directives that person may change (never another province's)."""
    if not directive.code:
        return 0
    pending = DirectiveReference.objects.filter(target__isnull=True, cited_code=directive.code)
    if by is not None:
        pending = pending.filter(directive_editable_q(by, "directive__"))
    pending = pending.filter(Q(cited_date__isnull=True) | Q(cited_date=directive.issued_on))
    return pending.exclude(directive=directive).update(target=directive)


@transaction.atomic
def directive_save(*, directive: Directive, by: User | None = None) -> Directive:
    """Save a directive and link what was waiting for it."""
    if directive.pk is None and by is not None:
        directive.created_by = by
    directive.full_clean(exclude=["created_by"])
    directive.save()
    references_link_pending(directive=directive, by=by)
    # Documents entered earlier whose subject says they carry this one out.
    from directives.importing.apply import implementations_link_pending

    implementations_link_pending(directive=directive, by=by)
    return directive


# --- Tasks and assignments -------------------------------------------------------------


def task_default_due(task: Task) -> tuple[datetime.date | None, bool]:
    """(due date, ongoing) that a new assignment of ``task`` starts with."""
    if task.deadline_kind == DeadlineKind.ONGOING:
        return None, True
    return task.due_on, False


@transaction.atomic
def task_assign(
    *,
    task: Task,
    units: Sequence[Unit],
    role: str = AssignmentRole.LEAD,
    due_on: datetime.date | None = None,
) -> list[Assignment]:
    """Give ``task`` to each of ``units``; a unit that already holds it keeps its
    assignment (its role is updated). Returns the assignments, new and existing."""
    default_due, ongoing = task_default_due(task)
    due = due_on or default_due
    result = []
    for unit in units:
        assignment, created = Assignment.objects.get_or_create(
            task=task,
            unit=unit,
            defaults={
                "role": role,
                "due_on": due,
                "original_due_on": due,
                "ongoing": ongoing,
                "recurrence": task.recurrence,
            },
        )
        if not created and assignment.role != role:
            assignment.role = role
            assignment.save(update_fields=["role"])
        result.append(assignment)
    return result


def units_of_kind_under(*, parent: Unit, kind: str, level: str | None = None) -> list[Unit]:
    """Every active unit of ``kind`` under ``parent``: "Đảng ủy các xã, phường" of a town."""
    units = Unit.objects.subtree(parent).active().filter(kind=kind).exclude(pk=parent.pk)
    if level:
        units = units.filter(level=level)
    return list(units)


# --- Progress --------------------------------------------------------------------------


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
) -> ProgressReport:
    """A unit reports progress on ``assignment``.

    1. check the author may report for this assignment and it is still open;
    2. check every file (type, content, size) before anything is written;
    3. store the report and its files; a report answering a returned one points to it.
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
        validate_attachment(upload)
    if completed:
        percent = 100
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
    return report


# --- Extensions and explanations ------------------------------------------------------


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
    return request


def explanation_request_create(
    *, assignment: Assignment, by: User, message: str
) -> ExplanationRequest:
    if not can_review(by, assignment):
        raise PermissionDenied
    if not assignment.is_open or assignment.due_on is None or assignment.due_on >= local_today():
        raise ValidationError(_("An explanation can only be asked for an overdue assignment."))
    if not message.strip():
        raise ValidationError({"message": _("Write what should be explained.")})
    return ExplanationRequest.objects.create(
        assignment=assignment, requested_by=by, message=message.strip()
    )


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


# --- Unit merges ------------------------------------------------------------------------


@receiver(unit_merged, dispatch_uid="directives.move_open_assignments")
def move_open_assignments(sender, *, source: Unit, successor: Unit, **kwargs) -> None:
    """Open work of a merged unit goes to its successor; finished work stays with the
    name that did it. Where the successor already holds the task, the source's
    assignment is cancelled rather than duplicated."""
    open_assignments = Assignment.objects.filter(
        unit=source, completed_on__isnull=True, cancelled=False
    )
    held = set(Assignment.objects.filter(unit=successor).values_list("task_id", flat=True))
    open_assignments.filter(task_id__in=held).update(cancelled=True)
    open_assignments.exclude(task_id__in=held).update(unit=successor)
