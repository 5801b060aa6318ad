"""Directive pages: the list, one directive with its chain of documents and its tasks,
entering and editing a directive with its tasks, assigning tasks to units, history."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from config.pagination import paginate
from config.views import FilteredListMixin
from directives import services
from directives.forms import ConfirmForm, DirectiveForm, TaskAssignForm, TaskFormSet
from directives.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveAttachment,
    Task,
)
from directives.selectors import (
    DirectiveHistory,
    directive_chain_up,
    directive_implementations,
    directive_list_for_user,
    directive_list_total,
    directive_status_counts,
    directive_tasks_for_user,
    directives_for_user,
    history_entries,
    tasks_progress,
)
from directives.uploads import stored_content_type
from units.models import Unit

# A key no row has, reversed once in place of each row's key (``_url_by_key``).
_ANY_KEY = 987654321987


def _url_by_key(name: str, *args: int) -> Callable[[int], str]:
    """``reverse(name, args=[*args, key])`` for many keys from one ``reverse``: a page of
    hundreds of rows otherwise spends much of its time reversing the same pattern."""
    prefix, _key, suffix = reverse(name, args=[*args, _ANY_KEY]).rpartition(str(_ANY_KEY))
    return lambda key: f"{prefix}{key}{suffix}"


# --- Permission helpers -----------------------------------------------------------------


def visible_directive(user, pk: int) -> Directive:
    """The directive, or 404 when it is outside the user's scope (its existence is not
    confirmed to someone who may not see it)."""
    try:
        return directives_for_user(user=user).get(pk=pk)
    except Directive.DoesNotExist as exc:
        raise Http404 from exc


def editable_directive(user, pk: int) -> Directive:
    """404 outside the scope, 403 when the user may see the directive but not change it."""
    directive = visible_directive(user, pk)
    if not user.has_perm("directives.edit_directive", directive):
        raise PermissionDenied
    return directive


def editable_task(user, pk: int, task_pk: int) -> tuple[Directive, Task]:
    """The task of a directive the user may change, with its directive; 404 when the
    directive has no such task."""
    directive = editable_directive(user, pk)
    try:
        return directive, directive.tasks.get(pk=task_pk)
    except Task.DoesNotExist as exc:
        raise Http404 from exc


def units_editable_by(user) -> QuerySet[Unit]:
    """The units a monitor may name as issuer, monitoring unit or assignee: their
    committee's subtree (everything for an administrator)."""
    if not user.has_perm("directives.create_directive"):
        return Unit.objects.none()
    return Unit.objects.visible_to(user).order_by("path")


def is_editor(user, directive: Directive) -> bool:
    return user.has_perm("directives.edit_directive", directive)


# --- List and detail --------------------------------------------------------------------


class DirectiveListView(LoginRequiredMixin, FilteredListMixin, TemplateView):
    """Filtered, paginated directives; an HTMX request from the filter form gets the
    results block only (the same block the full page renders)."""

    template_name = "directives/directive_list.html"
    paginate_by = 25

    def get_rows(self, filters):
        return directive_list_for_user(user=self.request.user, filters=filters)

    def row_count(self, filterset) -> int | None:
        # The counts by status come first: the pager's total is read off them.
        self.status_counts = directive_status_counts(filterset=filterset)
        return directive_list_total(filterset=filterset, status_counts=self.status_counts)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_counts"] = self.status_counts
        context["base_template"] = (
            "directives/partials/directive_results_only.html"
            if self.request.htmx and not self.request.htmx.boosted
            else "base.html"
        )
        context["can_create"] = self.request.user.has_perm("directives.create_directive")
        return context


class DirectiveDetailView(LoginRequiredMixin, TemplateView):
    template_name = "directives/directive_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        directive = visible_directive(user, kwargs["pk"])
        references = list(directive.references.select_related("target").order_by("pk"))
        target_ids = {r.target_id for r in references if r.target_id}
        visible_targets = set(
            directives_for_user(user=user).filter(pk__in=target_ids).values_list("pk", flat=True)
        )
        for reference in references:
            reference.visible_target = (
                reference.target if reference.target_id in visible_targets else None
            )
        tasks = directive_tasks_for_user(user=user, directive=directive)
        editable = is_editor(user, directive)
        detail_url = _url_by_key("progress:assignment_detail")
        cancel_url = _url_by_key("directives:assignment_cancel", directive.pk)
        # Django's get_role_display hashes the choices at every call: once per page here.
        role_labels = {value: str(label) for value, label in AssignmentRole.choices}
        for task in tasks:
            for assignment in task.visible_assignments:
                assignment.role_label = role_labels.get(assignment.role, assignment.role)
                assignment.detail_url = detail_url(assignment.pk)
                assignment.cancel_url = cancel_url(assignment.pk)
        context.update(
            directive=directive,
            issuer_name=directive.issuer.name_on(directive.issued_on),
            chain_up=list(reversed(directive_chain_up(user=user, directive=directive))),
            implementations=directive_implementations(user=user, directive=directive),
            references=references,
            milestones=directive.milestones.all(),
            attachments=directive.attachments.order_by("pk"),
            tasks=tasks,
            progress=tasks_progress(tasks),
            can_edit=editable,
            can_see_history=user.has_perm("directives.see_history", directive),
        )
        return context


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A directive's file, only to users who may see the directive (files are never served
    from a public media URL)."""
    directive = visible_directive(request.user, pk)
    try:
        attachment = directive.attachments.get(pk=attachment_pk)
    except DirectiveAttachment.DoesNotExist as exc:
        raise Http404 from exc
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage.")) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=stored_content_type(handle, attachment.original_name),
    )


# --- Create and edit --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def directive_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Enter a new directive with its tasks, or edit one, in a single form.

    1. only monitors and administrators, and for an edit only on directives they may change;
    2. the header form and the task formset are validated together;
    3. on success both are saved in one transaction through ``directive_save``; on any
       error nothing is saved and the page comes back with everything typed and a 400.
    """
    user = request.user
    if pk is None:
        if not user.has_perm("directives.create_directive"):
            raise PermissionDenied
        directive = Directive()
    else:
        directive = editable_directive(user, pk)
    units = units_editable_by(user)
    form_kwargs = {"units": units, "directives": directives_for_user(user=user)}
    if request.method == "POST":
        form = DirectiveForm(request.POST, request.FILES, instance=directive, **form_kwargs)
        formset = TaskFormSet(request.POST, instance=directive, prefix="tasks")
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.directive_save_with_tasks(
                    directive=form.save(commit=False),
                    tasks=formset.save(commit=False),
                    attachment=form.cleaned_data.get("attachment"),
                    by=user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("The directive was saved.") if pk else _("The directive was entered."),
                )
                return redirect("directives:detail", saved.pk)
        messages.error(request, _("Nothing was saved: please correct the fields marked below."))
        status = 400
    else:
        form = DirectiveForm(instance=directive, **form_kwargs)
        formset = TaskFormSet(instance=directive, prefix="tasks")
        status = 200
    return render(
        request,
        "directives/directive_form.html",
        {"form": form, "formset": formset, "directive": directive if pk else None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete after confirmation; refused once units have reported on it, because what a
    unit submitted is never lost (the directive can be marked superseded instead)."""
    directive = editable_directive(request.user, pk)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.directive_delete(directive=directive, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("directives:detail", directive.pk)
        messages.success(request, _("The directive was deleted."))
        return redirect("directives:list")
    return render(
        request,
        "directives/directive_confirm_delete.html",
        {"directive": directive, "blocked": not services.directive_deletable(directive)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    directive, task = editable_task(request.user, pk, task_pk)
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            services.task_delete(task=task, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The task was deleted."))
        return redirect("directives:detail", directive.pk)
    return render(
        request,
        "directives/task_confirm_delete.html",
        {"directive": directive, "task": task, "blocked": not services.task_deletable(task)},
    )


# --- Assignments ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def task_assign_view(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Give a task to units: picked ones, or every unit of a kind under a parent."""
    directive, task = editable_task(request.user, pk, task_pk)
    units = units_editable_by(request.user)
    status = 200
    if request.method == "POST":
        form = TaskAssignForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created, already = services.task_assign_units(
                    task=task,
                    within=units,
                    units=data["units"],
                    parent=data["parent"],
                    kind=data["kind"],
                    level=data["level"],
                    role=data["role"],
                    due_on=data["due_on"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d assignment created.",
                        "%(count)d assignments created.",
                        created,
                    )
                    % {"count": created}
                    + (
                        " " + _("%(count)d units already held this task.") % {"count": already}
                        if already
                        else ""
                    ),
                )
                return redirect(
                    reverse("directives:detail", args=[directive.pk]) + f"#task-{task.pk}"
                )
        status = 400
    else:
        form = TaskAssignForm(units=units)
    template = (
        "directives/partials/task_assign_form.html"
        if request.htmx
        else "directives/task_assign.html"
    )
    return render(
        request, template, {"directive": directive, "task": task, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_cancel(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    directive = editable_directive(request.user, pk)
    try:
        assignment = (
            Assignment.objects.visible_to(request.user)
            .select_related("unit", "task")
            .get(pk=assignment_pk, task__directive=directive)
        )
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        services.assignment_cancel(assignment=assignment)
        messages.success(
            request,
            _("The assignment of %(unit)s was cancelled.") % {"unit": assignment.unit.name},
        )
        return redirect(
            reverse("directives:detail", args=[directive.pk]) + f"#task-{assignment.task_id}"
        )
    return render(
        request,
        "directives/task_assignment_cancel.html",
        {"directive": directive, "assignment": assignment},
    )


# --- History ----------------------------------------------------------------------------


class DirectiveHistoryView(LoginRequiredMixin, TemplateView):
    """Every recorded change to the directive, its files, its tasks and their assignments,
    and the decisions on those assignments, newest first: who, when, what changed.
    Monitors and administrators only."""

    template_name = "directives/directive_history.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        directive = visible_directive(user, kwargs["pk"])
        if not user.has_perm("directives.see_history", directive):
            raise PermissionDenied
        page = paginate(
            self.request, DirectiveHistory(directive=directive, user=user), self.paginate_by
        )
        context.update(directive=directive, entries=history_entries(list(page["rows"])), **page)
        return context
