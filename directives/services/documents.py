"""Writes to directives and the links between them: what a directive cites, and which
document it carries out."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from access.permissions import directive_editable_q
from directives import signals
from directives.importing.cleaning import fold
from directives.importing.references import CODE_RE, normalize_code
from directives.models import (
    Directive,
    DirectiveAttachment,
    DirectiveReference,
    ProgressReport,
    Task,
)
from units.models import User

# Verbs that open the subject of a document carrying out a higher one: "Thực hiện Kết luận
# số 43-KL/TW ...", "Chương trình hành động thực hiện Nghị quyết số ...", "Kế hoạch triển
# khai, cụ thể hóa Chỉ thị số ...". Folded; what may stand between them and the code is
# the document type and a few words ("Nghị quyết Trung ương 5 số ...").
# A review of that work belongs to the same chain too: "về kết quả kiểm tra 5 năm thực hiện
# Nghị quyết số 25-NQ/TW".
_IMPLEMENTS_PREFIX = re.compile(
    r"(?:ve\s+)?(?:ket qua\s+)?(?:(?:kiem tra|so ket|tong ket|danh gia)\s+)?"
    r"(?:\d+\s+nam\s+)?(?:viec\s+)?(?:tiep tuc\s+)?(?:to chuc\s+)?"
    r"(?:(?:trien khai|thuc hien|cu the hoa|quan triet)(?:\s*,\s*|\s+va\s+|\s+))+"
    r"(?:[a-z0-9]+\s+){0,5}?(?:so\s*)?"
)


@dataclass(frozen=True)
class CitedDocument:
    code: str
    date: datetime.date | None = None
    issuer: str = ""
    text: str = ""


def directive_by_code(code: str, date: datetime.date | None = None) -> Directive | None:
    """The one known document with this number (and date, when given); None when there
    is none or more than one, so an ambiguous citation is never linked to a guess."""
    candidates = Directive.objects.filter(code=code)
    if date is not None:
        candidates = candidates.filter(issued_on=date)
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
                "target": directive_by_code(doc.code, doc.date),
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


def implemented_code(subject: str | None) -> str | None:
    """The code of the document this one carries out, when its subject says so
    ("Thực hiện Kết luận số 43-KL/TW ..." → "43-KL/TW"), else None."""
    subject = (subject or "").strip()
    match = CODE_RE.search(subject)
    if match is None:
        return None
    prefix = fold(subject[: match.start()]).strip()
    if not prefix or not _IMPLEMENTS_PREFIX.fullmatch(prefix + " "):
        return None
    return normalize_code(match.group(0))


def implementations_link_pending(*, directive: Directive, by: User | None = None) -> int:
    """Documents already in the database that carry out ``directive`` and were waiting for
    it (their subject names its code) get their ``implements`` link now; with ``by``, only
    documents that person may change."""
    if not directive.code:
        return 0
    waiting = Directive.objects.filter(
        implements__isnull=True, references__target=directive
    ).exclude(pk=directive.pk)
    if by is not None:
        waiting = waiting.filter(directive_editable_q(by))
    linked = 0
    for other in waiting:
        if implemented_code(other.subject) == directive.code:
            other.implements = directive
            other.save(update_fields=["implements", "updated_at", "search_text"])
            linked += 1
    return linked


@transaction.atomic
def directive_save(*, directive: Directive, by: User | None = None) -> Directive:
    """Save a directive and link what was waiting for it."""
    if directive.pk is None and by is not None:
        directive.created_by = by
    created = directive.pk is None
    directive.full_clean(exclude=["created_by"])
    directive.save()
    references_link_pending(directive=directive, by=by)
    # Documents entered earlier whose subject says they carry this one out.
    implementations_link_pending(directive=directive, by=by)
    if created:
        signals.directive_issued.send(sender=Directive, directive=directive)
    return directive


@transaction.atomic
def directive_save_with_tasks(
    *,
    directive: Directive,
    tasks: Iterable[Task],
    attachment: UploadedFile | None = None,
    by: User,
) -> Directive:
    """Save a directive entered or edited on its page, all or nothing.

    1. the directive through `directive_save` (it links what was waiting for it);
    2. its tasks, a new one numbered after those it already has;
    3. the signed document file, when one was attached.
    """
    saved = directive_save(directive=directive, by=by)
    next_order = max((t.order for t in saved.tasks.all()), default=0)
    for task in tasks:
        if task.pk is None:
            next_order += 1
            task.order = next_order
        task.save()
    if attachment:
        DirectiveAttachment.objects.create(
            directive=saved,
            file=attachment,
            original_name=attachment.name,
            size=attachment.size,
            uploaded_by=by,
        )
    return saved


# What a unit submitted is never lost: a directive or a task with reports stays (the
# directive can be marked superseded instead).


def directive_deletable(directive: Directive) -> bool:
    return not ProgressReport.objects.filter(assignment__task__directive=directive).exists()


def task_deletable(task: Task) -> bool:
    return not ProgressReport.objects.filter(assignment__task=task).exists()


@transaction.atomic
def directive_delete(*, directive: Directive, by: User | None = None) -> None:
    """Delete a directive with its tasks, their assignments and its files; the history
    keeps a delete event for each, naming ``by`` also when no web request carries it."""
    if not directive_deletable(directive):
        raise ValidationError(
            _("Units have already reported on this directive; it cannot be deleted.")
        )
    with pghistory.context(**_acting(by)):
        directive.delete()


@transaction.atomic
def task_delete(*, task: Task, by: User | None = None) -> None:
    """Delete a task with its assignments, recorded as done by ``by``."""
    if not task_deletable(task):
        raise ValidationError(_("Units have already reported on this task; it cannot be deleted."))
    with pghistory.context(**_acting(by)):
        task.delete()


def _acting(by: User | None) -> dict:
    # Inside a request the middleware has already named the user; this adds nothing then.
    return {"user": by.pk} if by is not None else {}
