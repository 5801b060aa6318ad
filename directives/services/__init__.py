"""Writes to directives, tasks, assignments and reports that are more than a form save.

* documents.py: directives and the links between them;
* assignments.py: tasks given to units, and unit merges;
* progress.py: progress reports and their review, extension and explanation requests.
"""

from .assignments import (
    assignment_cancel,
    move_open_assignments,
    task_assign,
    task_assign_units,
    task_default_due,
    units_of_kind_under,
)
from .documents import (
    CitedDocument,
    directive_by_code,
    directive_deletable,
    directive_delete,
    directive_save,
    directive_save_with_tasks,
    directive_set_references,
    implementations_link_pending,
    implemented_code,
    references_link_pending,
    task_deletable,
    task_delete,
)
from .progress import (
    assignment_submit_progress,
    can_review,
    explanation_answer,
    explanation_request_create,
    extension_decide,
    extension_request_create,
    progress_leader_decide,
    progress_review,
)

__all__ = [
    "CitedDocument",
    "assignment_cancel",
    "assignment_submit_progress",
    "can_review",
    "directive_by_code",
    "directive_deletable",
    "directive_delete",
    "directive_save",
    "directive_save_with_tasks",
    "directive_set_references",
    "explanation_answer",
    "explanation_request_create",
    "extension_decide",
    "extension_request_create",
    "implementations_link_pending",
    "implemented_code",
    "move_open_assignments",
    "progress_leader_decide",
    "progress_review",
    "references_link_pending",
    "task_assign",
    "task_assign_units",
    "task_default_due",
    "task_deletable",
    "task_delete",
    "units_of_kind_under",
]
