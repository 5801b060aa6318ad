"""Reads of directives and assignments, always scoped to what the user may see."""

from __future__ import annotations

import datetime

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
    DirectiveAttachment,
    DirectiveStatus,
    ExplanationRequest,
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
    # A drop-down needs each directive's label only, not its text.
    directives = (
        Directive.objects.filter(pk__in=base.values("task__directive_id"))
        .only("pk", "code", "kind", "issued_on")
        .order_by("-issued_on", "-id")
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


def directive_list_total(*, filterset, status_counts: list[tuple[str, str, int]]) -> int | None:
    """The number of directives the list shows, read off ``status_counts`` (of the same
    filterset): all of them, or those of the chosen status. None when the filter form is
    not valid, as the counts then apply no filter while the list applies the valid ones."""
    if filterset.is_bound and not filterset.form.is_valid():
        return None
    status = filterset.form.cleaned_data.get("status") if filterset.is_bound else None
    if status:
        return next(n for value, _label, n in status_counts if value == status)
    return sum(n for _value, _label, n in status_counts)


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
    mean, done = 100). Two queries whatever the number of tasks and assignments.

    The assignments are read by their directive rather than by a list of task ids (as a
    prefetch would): PostgreSQL then walks the task and assignment indexes and looks each
    unit up by key, where a list of ids estimated at hundreds of rows made it hash the
    whole units table."""
    tasks = list(directive.tasks.order_by("order", "pk"))
    by_id = {task.pk: task for task in tasks}
    for task in tasks:
        task.visible_assignments = []
    assignments = (
        Assignment.objects.visible_to(user)
        .filter(task__directive=directive)
        .with_status()
        .select_related("unit")
        # "lead" sorts after "coordinating": descending puts the lead units first.
        .order_by("task_id", "-role", "unit__name", "pk")
    )
    for assignment in assignments if tasks else []:
        task = by_id[assignment.task_id]
        Assignment.task.field.set_cached_value(assignment, task)
        task.visible_assignments.append(assignment)
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
    """The audit trail of a directive, newest first: the directive, its tasks, its files,
    their assignments, and what was decided on those assignments (reports accepted or
    returned, extensions asked for and decided, explanations asked for and given).

    pghistory keeps one event table per model; three aggregate queries read them (the
    directive, its tasks and files reference the directive; assignments reference its
    tasks, deleted ones included; the decisions reference the assignments). This object
    merges them lazily so Paginator only fetches the rows of the page it shows.

    Assignment events are those of units ``user`` may see, and decisions those on
    assignments last held by such a unit: a directive reaching every province shows each
    province only its own units' work.
    """

    def __init__(self, *, directive: Directive, user) -> None:
        event_models = _event_models()
        self.own = (
            MiddlewareEvents.objects.across(
                event_models["directive"], event_models["task"], event_models["attachment"]
            )
            .references(directive)
            .filter(
                Q(pgh_obj_model__in=["directives.Task", "directives.DirectiveAttachment"])
                | Q(pgh_obj_id=str(directive.pk))
            )
        )
        task_ids = list(
            event_models["task"]
            .objects.filter(directive_id=directive.pk)
            .values_list("pgh_obj_id", flat=True)
            .distinct()
        )
        self.assignments = self.decisions = None
        if task_ids:
            self.assignments = MiddlewareEvents.objects.across(
                event_models["assignment"]
            ).references([Task(pk=pk) for pk in task_ids])
            assignment_events = event_models["assignment"].objects.filter(task_id__in=task_ids)
            last_events = assignment_events.order_by("pgh_obj_id", "-pgh_id").distinct("pgh_obj_id")
            held = event_models["assignment"].objects.filter(
                pgh_id__in=last_events.values("pgh_id")
            )
            if not user.scope.everything:
                visible_units = Unit.objects.visible_to(user).values("pk")
                seen = assignment_events.filter(unit__in=visible_units)
                self.assignments = self.assignments.filter(pgh_id__in=seen.values("pgh_id"))
                held = held.filter(unit__in=visible_units)
            assignment_ids = list(held.values_list("pgh_obj_id", flat=True))
            if assignment_ids:
                self.decisions = (
                    MiddlewareEvents.objects.across(
                        event_models["report"],
                        event_models["extension"],
                        event_models["explanation"],
                    )
                    .references([Assignment(pk=pk) for pk in assignment_ids])
                    .filter(DECISION_EVENTS)
                )

    def _sources(self):
        return [s for s in (self.own, self.assignments, self.decisions) if s is not None]

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


# Of what happens on an assignment, the history page shows the decisions and requests:
# a report accepted or returned (not each submission: the assignment's own events show
# its progress), an extension asked for and decided, an explanation asked for and given.
DECISION_EVENTS = (
    Q(
        pgh_obj_model="directives.ProgressReport",
        pgh_diff__has_key="status",
        pgh_data__status__in=[ReportStatus.ACCEPTED, ReportStatus.RETURNED],
    )
    | Q(pgh_obj_model="directives.ExtensionRequest", pgh_label="insert")
    | Q(pgh_obj_model="directives.ExtensionRequest", pgh_diff__has_key="status")
    | Q(pgh_obj_model="directives.ExplanationRequest", pgh_label="insert")
    | Q(pgh_obj_model="directives.ExplanationRequest", pgh_diff__has_key="answered_at")
)


def _event_models() -> dict:
    return {
        "directive": apps.get_model("directives", "DirectiveEvent"),
        "task": apps.get_model("directives", "TaskEvent"),
        "attachment": apps.get_model("directives", "DirectiveAttachmentEvent"),
        "assignment": apps.get_model("directives", "AssignmentEvent"),
        "report": apps.get_model("directives", "ProgressReportEvent"),
        "extension": apps.get_model("directives", "ExtensionRequestEvent"),
        "explanation": apps.get_model("directives", "ExplanationRequestEvent"),
    }


# Columns that change on every save or only serve search: not worth showing in a diff.
HISTORY_HIDDEN_FIELDS = {"id", "search_text", "updated_at", "created_at", "order"}


def history_entries(events: list) -> list[dict]:
    """Readable rows for the history page: who (from the request context pghistory
    recorded, else the person the row itself names), when, what object, and each changed
    field as (label, old, new), or a sentence for a file or a decision on an assignment.
    Unit, task, assignment and user ids become names in four queries for the whole page
    (five when it shows a deleted task)."""
    user_ids, unit_ids, task_ids, assignment_ids = set(), set(), set(), set()
    for event in events:
        data = event.pgh_data or {}
        if _actor_id(event):
            user_ids.add(_actor_id(event))
        for key in ("issuer_id", "monitoring_unit_id", "unit_id"):
            if data.get(key):
                unit_ids.add(data[key])
        for key in ("issuer_id", "monitoring_unit_id", "unit_id"):
            for value in (event.pgh_diff or {}).get(key, []):
                if value:
                    unit_ids.add(value)
        if data.get("task_id"):
            task_ids.add(data["task_id"])
        if data.get("assignment_id"):
            assignment_ids.add(data["assignment_id"])
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    tasks = {t.pk: str(t) for t in Task.objects.filter(pk__in=task_ids)}
    if gone := task_ids - tasks.keys():
        # A deleted task is named as it was last recorded.
        last = (
            _event_models()["task"]
            .objects.filter(pgh_obj_id__in=gone)
            .order_by("pgh_obj_id", "-pgh_id")
            .distinct("pgh_obj_id")
        )
        tasks.update({e.pgh_obj_id: f"{e.section} {e.title}".strip() for e in last})
    assignments = {
        a.pk: str(a)
        for a in Assignment.objects.filter(pk__in=assignment_ids).select_related("task", "unit")
    }
    models_by_label = {
        "directives.Directive": Directive,
        "directives.Task": Task,
        "directives.Assignment": Assignment,
        "directives.DirectiveAttachment": DirectiveAttachment,
        "directives.ProgressReport": ProgressReport,
        "directives.ExtensionRequest": ExtensionRequest,
        "directives.ExplanationRequest": ExplanationRequest,
    }
    entries = []
    for event in events:
        model = models_by_label.get(event.pgh_obj_model)
        data = event.pgh_data or {}
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

        summary = _event_summary(event.pgh_obj_model, event.pgh_label, data)
        changes = (
            []
            if summary
            else [
                (fields[key].verbose_name if key in fields else key, show(key, old), show(key, new))
                for key, (old, new) in sorted((event.pgh_diff or {}).items())
                if key not in HISTORY_HIDDEN_FIELDS
            ]
        )
        if event.pgh_obj_model == "directives.Assignment":
            obj = f"{tasks.get(data.get('task_id'), '')} → {units.get(data.get('unit_id'), '')}"
        elif event.pgh_obj_model == "directives.Task":
            obj = f"{data.get('section', '')} {data.get('title', '')}".strip()
        elif event.pgh_obj_model == "directives.DirectiveAttachment":
            obj = data.get("original_name", "")
        elif data.get("assignment_id"):
            obj = assignments.get(data["assignment_id"], "—")
        else:
            obj = data.get("code") or data.get("subject", "")
        entries.append(
            {
                "at": event.pgh_created_at,
                "label": event.pgh_label,
                "model": model._meta.verbose_name if model else event.pgh_obj_model,
                "object": obj,
                "user": users.get(_actor_id(event)),
                "changes": changes,
                "summary": summary,
            }
        )
    return entries


# Who a row itself names as having done what its event records, for an event written
# outside any web request (a command, a worker): the request's user comes first.
ACTOR_FIELDS = {
    ("directives.DirectiveAttachment", "insert"): "uploaded_by_id",
    ("directives.ProgressReport", "update"): "reviewed_by_id",
    ("directives.ExtensionRequest", "insert"): "requested_by_id",
    ("directives.ExtensionRequest", "update"): "decided_by_id",
    ("directives.ExplanationRequest", "insert"): "requested_by_id",
    ("directives.ExplanationRequest", "update"): "answered_by_id",
}


def _actor_id(event) -> int | None:
    field = ACTOR_FIELDS.get((event.pgh_obj_model, event.pgh_label))
    return (event.pgh_context or {}).get("user") or (event.pgh_data or {}).get(field or "")


def _event_summary(model: str, label: str, data: dict) -> str:
    """One sentence for an event better told than diffed: a file added or removed, a
    report accepted or returned, an extension or explanation asked for and answered."""
    if model == "directives.DirectiveAttachment":
        name = data.get("original_name", "")
        if label == "insert":
            return _("Attached the file %(name)s.") % {"name": name}
        return _("Removed the file %(name)s.") % {"name": name}
    if model == "directives.ProgressReport":
        values = {"day": _day(data.get("reported_on")), "percent": data.get("percent", 0)}
        if data.get("status") == ReportStatus.RETURNED:
            text = _("Returned the progress report of %(day)s (%(percent)s%%).") % values
            return _with_comment(text, data.get("review_comment"))
        if data.get("status") == ReportStatus.ACCEPTED:
            return _("Accepted the progress report of %(day)s (%(percent)s%%).") % values
        return ""
    if model == "directives.ExtensionRequest":
        values = {
            "old": _day(data.get("current_due_on")),
            "new": _day(data.get("proposed_due_on")),
        }
        if label == "insert":
            text = _("Asked to move the due date from %(old)s to %(new)s.") % values
            return _with_comment(text, data.get("reason"))
        if data.get("status") == DecisionStatus.APPROVED:
            text = _("Approved moving the due date from %(old)s to %(new)s.") % values
        elif data.get("status") == DecisionStatus.REFUSED:
            text = _("Refused to move the due date from %(old)s to %(new)s.") % values
        else:
            return ""
        return _with_comment(text, data.get("decision_comment"))
    if model == "directives.ExplanationRequest":
        if label == "insert":
            return _with_comment(_("Asked for an explanation."), data.get("message"))
        return _with_comment(_("Gave the explanation asked for."), data.get("answer"))
    return ""


def _day(value: str | None) -> str:
    try:
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return "—"


def _with_comment(text: str, comment: str | None) -> str:
    comment = (comment or "").strip()
    return f"{text} “{comment}”" if comment else text
