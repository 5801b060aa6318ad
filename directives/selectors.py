"""Reads of directives and assignments, always scoped to what the user may see."""

from __future__ import annotations

from django.apps import apps
from django.db.models import (
    Avg,
    Case,
    Count,
    FloatField,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, JSONObject
from django.utils.translation import gettext as _
from pghistory.models import MiddlewareEvents

from access.permissions import assignment_reviewable_q, directive_editable_q
from directives.filtersets import DirectiveFilterSet, MyWorkFilterSet
from directives.models import (
    Assignment,
    AssignmentRole,
    DecisionStatus,
    Directive,
    DirectiveStatus,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
    ReportStatus,
    Task,
)
from directives.status import URGENCY, Status, rollup, status_expression, urgency_rank
from units.models import Unit, User


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
    """Submitted reports the user decides on, oldest first."""
    return (
        ProgressReport.objects.filter(
            assignment_reviewable_q(user, "assignment__"), status=ReportStatus.SUBMITTED
        )
        .select_related("assignment__unit", "assignment__task__directive", "author", "approved_by")
        .order_by("submitted_at")
    )


def reports_awaiting_leader(*, user) -> QuerySet[ProgressReport]:
    """Reports of the leader's own unit waiting for the leader's approval, oldest first."""
    if not user.has_perm("directives.approve_for_unit"):
        return ProgressReport.objects.none()
    return (
        ProgressReport.objects.filter(
            status=ReportStatus.AWAITING_LEADER, assignment__unit_id=user.unit_id
        )
        .select_related("assignment__unit", "assignment__task__directive", "author")
        .prefetch_related(
            Prefetch("attachments", queryset=ProgressAttachment.objects.order_by("pk"))
        )
        .order_by("submitted_at")
    )


# --- Progress pages ---------------------------------------------------------------------


def with_last_report(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate the state of each assignment's latest report: awaiting review, returned
    (with the reviewer's comment) or accepted."""
    latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by(
        "-submitted_at", "-id"
    )
    return queryset.annotate(
        last_report_status=Subquery(latest.values("status")[:1]),
        last_report_comment=Subquery(latest.values("review_comment")[:1]),
        last_report_on=Subquery(latest.values("reported_on")[:1]),
    )


def my_work_assignments(*, user) -> QuerySet[Assignment]:
    """The assignments of the user's own unit (not its subtree), with their status."""
    return assignments_for_user(user=user).filter(unit_id=user.unit_id)


def my_work_for_user(*, user, filters=None):
    """(rows most urgent first, filterset, counts by status) for "Việc của tôi"."""
    base = my_work_assignments(user=user)
    directives = Directive.objects.filter(pk__in=base.values("task__directive_id")).order_by(
        "-issued_on", "-id"
    )
    filterset = MyWorkFilterSet(filters or None, queryset=base, directives=directives)
    rows = with_last_report(filterset.qs).order_by(
        urgency_rank(), "due_on", "task__directive_id", "task__order", "pk"
    )
    return rows, filterset, status_counts(base)


def my_work_row(*, user, pk: int) -> Assignment:
    """One row of "Việc của tôi" with the same annotations, for HTMX swaps."""
    return with_last_report(my_work_assignments(user=user)).get(pk=pk)


def status_counts(queryset: QuerySet[Assignment]) -> dict[str, int]:
    """Assignments per status, in one aggregate query, most urgent first."""
    totals = queryset.order_by().aggregate(
        **{s.value: Count("pk", filter=Q(current_status=s.value)) for s in URGENCY}
    )
    return {Status(key): value for key, value in totals.items()}


def assignment_history(*, assignment: Assignment) -> list[ProgressReport]:
    """Every report on the assignment, newest first, each with ``answered_by`` set to the
    report that answered it when it was returned and resubmitted."""
    reports = list(
        assignment.reports.select_related("author", "reviewed_by").prefetch_related(
            Prefetch("attachments", queryset=ProgressAttachment.objects.order_by("pk"))
        )
    )
    answers = {r.resubmission_of_id: r for r in reports if r.resubmission_of_id}
    for report in reports:
        report.answered_by = answers.get(report.pk)
    return reports


def report_to_answer(*, assignment: Assignment) -> ProgressReport | None:
    """The latest report when it was returned: the next report answers it."""
    latest = assignment.reports.order_by("-submitted_at", "-id").first()
    if latest is not None and latest.status == ReportStatus.RETURNED:
        return latest
    return None


def reports_reviewable_by(*, user) -> QuerySet[ProgressReport]:
    """Reports of any state the user decides on (access.permissions: review_report)."""
    return ProgressReport.objects.filter(
        assignment_reviewable_q(user, "assignment__")
    ).select_related("assignment__unit", "assignment__task__directive", "author")


def review_queue_reports(*, user) -> QuerySet[ProgressReport]:
    return reports_awaiting_review(user=user).prefetch_related(
        Prefetch("attachments", queryset=ProgressAttachment.objects.order_by("pk"))
    )


def extensions_reviewable_by(*, user) -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(
        assignment_reviewable_q(user, "assignment__")
    ).select_related("assignment__unit", "assignment__task__directive", "requested_by")


def extensions_awaiting_decision(*, user) -> QuerySet[ExtensionRequest]:
    return (
        extensions_reviewable_by(user=user)
        .filter(status=DecisionStatus.PENDING)
        .order_by("requested_at")
    )


def attachment_for_user(*, user, pk: int) -> ProgressAttachment:
    """The attachment, or ProgressAttachment.DoesNotExist when its assignment is outside
    the user's units."""
    visible = Assignment.objects.visible_to(user).values("pk")
    return ProgressAttachment.objects.select_related("report").get(
        pk=pk, report__assignment__in=visible
    )


# --- Directive pages --------------------------------------------------------------------


def _assignment_percent() -> Case:
    """An assignment's progress for averages: a finished one counts as 100%."""
    return Case(
        When(completed_on__isnull=False, then=Value(100.0)),
        default=Cast("progress", FloatField()),
        output_field=FloatField(),
    )


def with_tracking(queryset: QuerySet[Directive], *, user) -> QuerySet[Directive]:
    """Annotate each directive with its number of tasks, its progress (the mean of its
    tasks', a task's being the mean of its lead assignments', done = 100) and a summary
    of its assignments by status, each as one correlated subquery, so a page of rows
    costs one query whatever the number of tasks. Only the user's assignments count."""
    visible = Assignment.objects.visible_to(user)
    lead = visible.filter(role=AssignmentRole.LEAD, cancelled=False)
    task_percent = Subquery(
        lead.filter(task=OuterRef("pk"))
        .order_by()
        .values("task")
        .annotate(p=Avg(_assignment_percent()))
        .values("p"),
        output_field=FloatField(),
    )
    progress = Subquery(
        Task.objects.filter(directive=OuterRef("pk"))
        .annotate(tp=task_percent)
        .order_by()
        .values("directive")
        .annotate(p=Avg("tp"))
        .values("p"),
        output_field=FloatField(),
    )
    task_count = Subquery(
        Task.objects.filter(directive=OuterRef("pk"))
        .order_by()
        .values("directive")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    summary = Subquery(
        visible.filter(task__directive=OuterRef("pk"))
        .annotate(st=status_expression())
        .order_by()
        .values("task__directive")
        .annotate(
            s=JSONObject(
                total=Count("pk", filter=~Q(st=Status.CANCELLED)),
                overdue=Count("pk", filter=Q(st=Status.OVERDUE)),
                due_soon=Count("pk", filter=Q(st__in=[Status.DUE_SOON, Status.DUE_TODAY])),
                done=Count("pk", filter=Q(st__in=[Status.DONE_ON_TIME, Status.DONE_LATE])),
            )
        )
        .values("s"),
        output_field=JSONField(),
    )
    return queryset.annotate(
        task_count=Coalesce(task_count, 0), progress=progress, assignment_summary=summary
    )


def directive_list_for_user(*, user, filters=None):
    """(rows, filterset) for the directive list: scoped, filtered, annotated."""
    filterset = DirectiveFilterSet(filters or None, queryset=directives_for_user(user=user))
    return with_tracking(filterset.qs, user=user), filterset


def directive_status_counts(*, filterset) -> list[tuple[str, str, int]]:
    """(status, label, count) of the directives matching every filter but the status one,
    so the counts above the list say how the current selection splits. Reuses the list's
    filter form, already validated: its drop-down choices are not computed twice."""
    queryset = filterset.queryset
    if filterset.is_bound and filterset.form.is_valid():
        for name, value in filterset.form.cleaned_data.items():
            if name != "status":
                queryset = filterset.filters[name].filter(queryset, value)
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    totals = {row["status"]: row["n"] for row in rows}
    return [(value, label, totals.get(value, 0)) for value, label in DirectiveStatus.choices]


def directive_chain_up(*, user, directive: Directive, limit: int = 10) -> list[Directive]:
    """What ``directive`` implements, then what that implements..., nearest first, as far
    as the user may see (a chain is a handful of documents; ``limit`` stops a cycle)."""
    chain: list[Directive] = []
    seen = {directive.pk}
    parent_id = directive.implements_id
    while parent_id and parent_id not in seen and len(chain) < limit:
        parent = directives_for_user(user=user).filter(pk=parent_id).first()
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.pk)
        parent_id = parent.implements_id
    return chain


def directive_implementations(*, user, directive: Directive) -> QuerySet[Directive]:
    return directives_for_user(user=user).filter(implements=directive)


def directive_tasks_for_user(*, user, directive: Directive) -> list[Task]:
    """The directive's tasks, each with ``visible_assignments`` (the user's, with their
    status), ``status`` (the roll-up of its lead assignments) and ``progress`` (their
    mean, done = 100). Two queries whatever the number of tasks and assignments."""
    assignments = (
        Assignment.objects.visible_to(user)
        .with_status()
        .select_related("unit")
        # "lead" sorts after "coordinating": descending puts the lead units first.
        .order_by("-role", "unit__name", "pk")
    )
    tasks = list(
        directive.tasks.order_by("order", "pk").prefetch_related(
            Prefetch("assignments", queryset=assignments, to_attr="visible_assignments")
        )
    )
    for task in tasks:
        leads = [
            a
            for a in task.visible_assignments
            if a.role == AssignmentRole.LEAD and a.current_status != Status.CANCELLED
        ]
        task.status = rollup(a.current_status for a in leads) if leads else ""
        task.progress = (
            sum(100 if a.completed_on else a.progress for a in leads) / len(leads)
            if leads
            else None
        )
    return tasks


def tasks_progress(tasks: list[Task]) -> float | None:
    """A directive's progress from its tasks already loaded by directive_tasks_for_user."""
    values = [t.progress for t in tasks if t.progress is not None]
    return sum(values) / len(values) if values else None


class DirectiveHistory:
    """The audit trail of a directive, its tasks and their assignments, newest first.

    pghistory keeps one event table per model; two aggregate queries read them (the
    directive and its tasks reference the directive; assignments reference its tasks,
    deleted ones included). This object merges them lazily so Paginator only fetches the
    rows of the page it shows.

    Assignment events are those of units ``user`` may see: a directive reaching every
    province shows each province only its own units' work.
    """

    def __init__(self, *, directive: Directive, user) -> None:
        event_models = _event_models()
        self.own = (
            MiddlewareEvents.objects.across(event_models["directive"], event_models["task"])
            .references(directive)
            .filter(Q(pgh_obj_model="directives.Task") | Q(pgh_obj_id=str(directive.pk)))
        )
        task_ids = list(
            event_models["task"]
            .objects.filter(directive_id=directive.pk)
            .values_list("pgh_obj_id", flat=True)
            .distinct()
        )
        self.assignments = None
        if task_ids:
            self.assignments = MiddlewareEvents.objects.across(
                event_models["assignment"]
            ).references([Task(pk=pk) for pk in task_ids])
            if not user.scope.everything:
                seen = event_models["assignment"].objects.filter(
                    task_id__in=task_ids, unit__in=Unit.objects.visible_to(user).values("pk")
                )
                self.assignments = self.assignments.filter(pgh_id__in=seen.values("pgh_id"))

    def _sources(self):
        sources = [self.own]
        if self.assignments is not None:
            sources.append(self.assignments)
        return sources

    def count(self) -> int:
        return sum(source.count() for source in self._sources())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = []
        for source in self._sources():
            rows.extend(source.order_by("-pgh_created_at", "-pgh_id")[:stop])
        rows.sort(key=lambda e: (e.pgh_created_at, e.pgh_id), reverse=True)
        return rows[start:stop]


def _event_models() -> dict:
    return {
        "directive": apps.get_model("directives", "DirectiveEvent"),
        "task": apps.get_model("directives", "TaskEvent"),
        "assignment": apps.get_model("directives", "AssignmentEvent"),
    }


# Columns that change on every save or only serve search: not worth showing in a diff.
HISTORY_HIDDEN_FIELDS = {"id", "search_text", "updated_at", "created_at", "order"}


def history_entries(events: list) -> list[dict]:
    """Readable rows for the history page: who (from the request context pghistory
    recorded), when, what object, and each changed field as (label, old, new), with unit,
    task and user ids turned into names in three queries for the whole page."""
    user_ids, unit_ids, task_ids = set(), set(), set()
    for event in events:
        context = event.pgh_context or {}
        if context.get("user"):
            user_ids.add(context["user"])
        data = event.pgh_data or {}
        for key in ("issuer_id", "monitoring_unit_id", "unit_id"):
            if data.get(key):
                unit_ids.add(data[key])
        for key in ("issuer_id", "monitoring_unit_id", "unit_id"):
            for value in (event.pgh_diff or {}).get(key, []):
                if value:
                    unit_ids.add(value)
        if data.get("task_id"):
            task_ids.add(data["task_id"])
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    tasks = {t.pk: str(t) for t in Task.objects.filter(pk__in=task_ids)}
    models_by_label = {"directives.Directive": Directive, "directives.Task": Task,
                       "directives.Assignment": Assignment}  # fmt: skip
    entries = []
    for event in events:
        model = models_by_label.get(event.pgh_obj_model)
        data = event.pgh_data or {}
        context = event.pgh_context or {}
        fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}

        def show(attname: str, value, fields=fields):
            field = fields.get(attname)
            if value is None or value == "":
                return "—"
            if attname in ("issuer_id", "monitoring_unit_id", "unit_id"):
                return units.get(value, f"#{value}")
            if field is not None and field.choices:
                return dict(field.flatchoices).get(value, value)
            if isinstance(value, bool):
                return _("yes") if value else _("no")
            if isinstance(value, list):
                return "; ".join(str(v) for v in value)
            return value

        changes = [
            (fields[key].verbose_name if key in fields else key, show(key, old), show(key, new))
            for key, (old, new) in sorted((event.pgh_diff or {}).items())
            if key not in HISTORY_HIDDEN_FIELDS
        ]
        if event.pgh_obj_model == "directives.Assignment":
            obj = f"{tasks.get(data.get('task_id'), '')} → {units.get(data.get('unit_id'), '')}"
        elif event.pgh_obj_model == "directives.Task":
            obj = f"{data.get('section', '')} {data.get('title', '')}".strip()
        else:
            obj = data.get("code") or data.get("subject", "")
        entries.append(
            {
                "at": event.pgh_created_at,
                "label": event.pgh_label,
                "model": model._meta.verbose_name if model else event.pgh_obj_model,
                "object": obj,
                "user": users.get(context.get("user")),
                "changes": changes,
            }
        )
    return entries
