"""Directives, the tasks they set, the units that hold them, and what those units report.

* documents.py: the directive, what it cites, its review milestones and files;
* work.py: its tasks and their assignments to units;
* progress.py: progress reports, extension and explanation requests;
* drafts.py: imports under review, kept per user until confirmed or discarded;
* directives/reach.py: where each directive is assigned (read by directives/scoping.py).
"""

from directives.reach import DirectiveReach

from .documents import (
    Directive,
    DirectiveAttachment,
    DirectiveKind,
    DirectiveQuerySet,
    DirectiveReference,
    DirectiveStatus,
    ReviewMilestone,
    attachment_path,
)
from .drafts import ImportDraft
from .progress import (
    DecisionStatus,
    ExplanationRequest,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
    ReportStatus,
)
from .work import (
    Assignment,
    AssignmentQuerySet,
    AssignmentRole,
    DeadlineKind,
    Recurrence,
    Task,
)

__all__ = [
    "Assignment",
    "AssignmentQuerySet",
    "AssignmentRole",
    "DeadlineKind",
    "DecisionStatus",
    "Directive",
    "DirectiveAttachment",
    "DirectiveKind",
    "DirectiveQuerySet",
    "DirectiveReach",
    "DirectiveReference",
    "DirectiveStatus",
    "ExplanationRequest",
    "ExtensionRequest",
    "ImportDraft",
    "ProgressAttachment",
    "ProgressReport",
    "Recurrence",
    "ReportStatus",
    "ReviewMilestone",
    "Task",
    "attachment_path",
]
