"""Reads of directives and assignments, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from directives.models import Assignment, Directive, ProgressReport, ReportStatus
from directives.scoping import directive_editable_q


def directives_for_user(*, user) -> QuerySet[Directive]:
    return Directive.objects.visible_to(user).select_related("issuer", "monitoring_unit")


def directive_for_user(*, user, pk: int) -> Directive:
    """The directive, or Directive.DoesNotExist when the user may not see it."""
    return directives_for_user(user=user).get(pk=pk)


def directives_editable_by(*, user) -> QuerySet[Directive]:
    return Directive.objects.filter(directive_editable_q(user))


def assignments_for_user(*, user) -> QuerySet[Assignment]:
    return (
        Assignment.objects.visible_to(user)
        .with_status()
        .select_related("task__directive__issuer", "unit")
    )


def assignment_for_user(*, user, pk: int) -> Assignment:
    """The assignment, or Assignment.DoesNotExist when it is outside the user's units."""
    return assignments_for_user(user=user).get(pk=pk)


def reports_awaiting_review(*, user) -> QuerySet[ProgressReport]:
    """Submitted reports on directives the user monitors, oldest first."""
    return (
        ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED,
            assignment__task__directive__in=directives_editable_by(user=user).values("pk"),
        )
        .select_related("assignment__unit", "assignment__task__directive", "author")
        .order_by("submitted_at")
    )
