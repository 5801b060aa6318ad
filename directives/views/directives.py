"""Directive pages: the list, one directive with its chain of documents and its tasks,
entering and editing a directive with its tasks, assigning tasks to units, history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from config.views import FilteredListMixin
from directives.forms import ConfirmForm, DirectiveForm, TaskAssignForm, TaskFormSet
from directives.models import (
    Assignment,
    Directive,
    DirectiveAttachment,
    ProgressReport,
    Task,
)
from directives.selectors import (
    DirectiveHistory,
    directive_chain_up,
    directive_implementations,
    directive_list_for_user,
    directive_status_counts,
    directive_tasks_for_user,
    directives_editable_by,
    directives_for_user,
    history_entries,
    tasks_progress,
)
from directives.services import directive_save, task_assign, units_of_kind_under
from directives.uploads import stored_content_type
from units.models import Unit

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
    if not directives_editable_by(user=user).filter(pk=directive.pk).exists():
        raise PermissionDenied
    return directive


def units_editable_by(user) -> QuerySet[Unit]:
    """The units a monitor may name as issuer, monitoring unit or assignee: their
    committee's subtree (everything for an administrator)."""
    if not user.can_manage_directives:
        return Unit.objects.none()
    return Unit.objects.visible_to(user).order_by("path")


def is_editor(user, directive: Directive) -> bool:
    return directives_editable_by(user=user).filter(pk=directive.pk).exists()


# --- List and detail --------------------------------------------------------------------


class DirectiveListView(LoginRequiredMixin, FilteredListMixin, TemplateView):
    """Filtered, paginated directives; an HTMX request from the filter form gets the
    results block only (the same block the full page renders)."""

    template_name = "directives/directive_list.html"
    paginate_by = 25

    def get_rows(self, filters):
        return directive_list_for_user(user=self.request.user, filters=filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_counts"] = directive_status_counts(filterset=context["filter"])
        context["base_template"] = (
            "directives/partials/directive_results_only.html"
            if self.request.htmx and not self.request.htmx.boosted
            else "base.html"
        )
        context["can_create"] = self.request.user.can_manage_directives
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
            can_see_history=user.can_manage_directives,
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
        if not user.can_manage_directives:
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
                with transaction.atomic():
                    saved = directive_save(directive=form.save(commit=False), by=user)
                    formset.instance = saved
                    tasks = formset.save(commit=False)
                    next_order = max((t.order for t in saved.tasks.all()), default=0)
                    for task in tasks:
                        if task.pk is None:
                            next_order += 1
                            task.order = next_order
                        task.save()
                    upload = form.cleaned_data.get("attachment")
                    if upload:
                        DirectiveAttachment.objects.create(
                            directive=saved,
                            file=upload,
                            original_name=upload.name,
                            size=upload.size,
                            uploaded_by=user,
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


def _has_reports(queryset: QuerySet[ProgressReport]) -> bool:
    return queryset.exists()


@login_required
@require_http_methods(["GET", "POST"])
def directive_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete after confirmation; refused once units have reported on it, because what a
    unit submitted is never lost (the directive can be marked superseded instead)."""
    directive = editable_directive(request.user, pk)
    blocked = _has_reports(ProgressReport.objects.filter(assignment__task__directive=directive))
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        if blocked:
            messages.error(
                request,
                _("Units have already reported on this directive; it cannot be deleted."),
            )
            return redirect("directives:detail", directive.pk)
        directive.delete()
        messages.success(request, _("The directive was deleted."))
        return redirect("directives:list")
    return render(
        request,
        "directives/directive_confirm_delete.html",
        {"directive": directive, "blocked": blocked},
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    directive = editable_directive(request.user, pk)
    try:
        task = directive.tasks.get(pk=task_pk)
    except Task.DoesNotExist as exc:
        raise Http404 from exc
    blocked = _has_reports(ProgressReport.objects.filter(assignment__task=task))
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        if blocked:
            messages.error(
                request, _("Units have already reported on this task; it cannot be deleted.")
            )
        else:
            task.delete()
            messages.success(request, _("The task was deleted."))
        return redirect("directives:detail", directive.pk)
    return render(
        request,
        "directives/task_confirm_delete.html",
        {"directive": directive, "task": task, "blocked": blocked},
    )


# --- Assignments ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def task_assign_view(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Give a task to units: picked ones, or every unit of a kind under a parent."""
    directive = editable_directive(request.user, pk)
    try:
        task = directive.tasks.get(pk=task_pk)
    except Task.DoesNotExist as exc:
        raise Http404 from exc
    units = units_editable_by(request.user)
    status = 200
    if request.method == "POST":
        form = TaskAssignForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            chosen = list(data["units"])
            if data["parent"]:
                chosen += units_of_kind_under(
                    parent=data["parent"], kind=data["kind"], level=data["level"] or None
                )
            # units_of_kind_under stays inside the parent's subtree, itself in scope;
            # filtering again keeps that true whatever the service does later.
            allowed = set(units.filter(pk__in=[u.pk for u in chosen]).values_list("pk", flat=True))
            chosen = list({u.pk: u for u in chosen if u.pk in allowed}.values())
            if not chosen:
                form.add_error(
                    None, _("No unit of that kind was found under the chosen parent unit.")
                )
            else:
                held = set(task.assignments.values_list("unit_id", flat=True))
                task_assign(task=task, units=chosen, role=data["role"], due_on=data["due_on"])
                created = sum(1 for u in chosen if u.pk not in held)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d assignment created.",
                        "%(count)d assignments created.",
                        created,
                    )
                    % {"count": created}
                    + (
                        " "
                        + _("%(count)d units already held this task.")
                        % {"count": len(chosen) - created}
                        if len(chosen) > created
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
        if not assignment.cancelled:
            assignment.cancelled = True
            assignment.save(update_fields=["cancelled"])
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
    """Every recorded change to the directive, its tasks and their assignments, newest
    first: who, when, what changed. Monitors and administrators only."""

    template_name = "directives/directive_history.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        directive = visible_directive(user, kwargs["pk"])
        if not user.can_manage_directives:
            raise PermissionDenied
        page = Paginator(DirectiveHistory(directive=directive), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        context.update(
            directive=directive,
            page_obj=page,
            entries=history_entries(list(page.object_list)),
            querystring="",
        )
        return context
