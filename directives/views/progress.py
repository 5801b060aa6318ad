"""The work units do on their assignments, and the monitor's review of it.

Every object is looked up through a selector scoped to the user (404 outside it); every
write goes through a service, which raises PermissionDenied (403) for a forbidden action.
HTMX requests get the same template blocks as full pages, swapped in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directives import selectors, services
from directives.models import (
    Assignment,
    ExplanationRequest,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
)
from directives.progress_forms import (
    ExplanationAnswerForm,
    ExplanationRequestForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ProgressReportForm,
    QuickProgressForm,
    ReviewForm,
)
from directives.status import Status

# Unprocessable input: the form comes back with its errors (htmx swaps 422 responses too,
# see the htmx-config meta tag in the progress templates).
INVALID = 422


def _assignment_or_404(user, pk: int) -> Assignment:
    try:
        return selectors.assignment_for_user(user=user, pk=pk)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def _require_reporter(user, assignment: Assignment) -> None:
    """Only staff and leaders of the assignment's own unit report, ask and answer for it."""
    if not user.has_perm("directives.report_on_assignment", assignment):
        raise PermissionDenied


def _add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form
    has that field, otherwise at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Việc của tôi ----------------------------------------------------------------------


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows, filterset, counts = selectors.my_work_for_user(user=user, filters=request.GET)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page_obj": page,
        "rows": page.object_list,
        "querystring": query.urlencode(),
        "counts": counts,
        "total": sum(counts.values()),
        "can_report": user.can_report_progress,
        "review_count": (
            selectors.reports_awaiting_review(user=user).count()
            if user.has_perm("directives.review")
            else None
        ),
    }
    return render(request, "directives/my_work.html", context)


@login_required
@require_GET
def assignment_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One row of "Việc của tôi" (HTMX: closes the quick form)."""
    return _render_row(request, pk)


def _render_row(request, pk: int, *, quick_form=None, saved: bool = False, status: int = 200):
    try:
        row = selectors.my_work_row(user=request.user, pk=pk)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "directives/partials/progress_my_work_row.html",
        {
            "a": row,
            "quick_form": quick_form,
            "saved": saved,
            "can_report": request.user.can_report_progress,
            "answering": selectors.report_to_answer(assignment=row) if quick_form else None,
        },
        status=status,
    )


# --- Assignment page ---------------------------------------------------------------------


@login_required
@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request.user, pk)
    return _render_assignment(request, assignment)


def _render_assignment(request, assignment: Assignment, *, status: int = 200, **forms):
    user = request.user
    can_report = user.has_perm("directives.report_on_assignment", assignment)
    can_review = services.can_review(user, assignment)
    extensions = list(
        assignment.extension_requests.select_related("requested_by", "decided_by").order_by(
            "-requested_at"
        )
    )
    explanations = list(
        assignment.explanation_requests.select_related("requested_by", "answered_by")
    )
    has_pending_extension = any(e.status == "pending" for e in extensions)
    context = {
        "assignment": assignment,
        "task": assignment.task,
        "directive": assignment.task.directive,
        "reports": selectors.assignment_history(assignment=assignment),
        "extensions": extensions,
        "explanations": explanations,
        "can_report": can_report and assignment.is_open,
        "can_review": can_review,
        "answering": selectors.report_to_answer(assignment=assignment),
        "has_pending_extension": has_pending_extension,
        "extension_form": forms.get("extension_form")
        or (
            ExtensionRequestForm(assignment=assignment)
            if can_report
            and assignment.is_open
            and assignment.due_on is not None
            and not has_pending_extension
            else None
        ),
        "explanation_form": (
            forms.get("explanation_form") or ExplanationRequestForm()
            if can_review and assignment.current_status == Status.OVERDUE
            else None
        ),
        "answer_forms": {
            e.pk: (
                forms.get("answer_form")
                if forms.get("answer_for") == e.pk
                else ExplanationAnswerForm(auto_id=f"id_answer{e.pk}_%s")
            )
            for e in explanations
            if can_report and e.answered_at is None
        },
    }
    return render(request, "directives/assignment_detail.html", context, status=status)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, only for users who may see its assignment, under its own name."""
    try:
        attachment = selectors.attachment_for_user(user=request.user, pk=pk)
    except ProgressAttachment.DoesNotExist as exc:
        raise Http404 from exc
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


# --- Progress form -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assignment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress form (``?quick=1``: its one-line version on a row of "Việc của tôi").

    1. the assignment must be in the user's scope (404) and the user a reporter (403);
    2. a valid form goes to ``assignment_submit_progress``; a report following a returned
       one answers it (decided here from the database, never from the posted data);
    3. errors come back in the same form with everything typed kept, status 422.
    """
    assignment = _assignment_or_404(request.user, pk)
    _require_reporter(request.user, assignment)
    # The one-line form lives inside a row swapped by htmx; without htmx the full form.
    quick = request.htmx and bool(request.GET.get("quick") or request.POST.get("quick"))
    form_class = QuickProgressForm if quick else ProgressReportForm
    auto_id = f"id_q{pk}_%s" if quick else "id_%s"
    answering = selectors.report_to_answer(assignment=assignment)
    if request.method == "GET":
        form = form_class(assignment=assignment, auto_id=auto_id)
        if quick:
            return _render_row(request, pk, quick_form=form)
        return _render_report_form(request, assignment, form, answering)

    form = form_class(request.POST, request.FILES, assignment=assignment, auto_id=auto_id)
    if form.is_valid():
        try:
            services.assignment_submit_progress(
                assignment=assignment,
                author=request.user,
                resubmission_of=answering,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
    if form.errors:
        if quick:
            return _render_row(request, pk, quick_form=form, status=INVALID)
        return _render_report_form(request, assignment, form, answering, status=INVALID)
    if quick:
        return _render_row(request, pk, saved=True)
    messages.success(request, _("Your report was sent for review."))
    return redirect("progress:assignment_detail", pk=pk)


def _render_report_form(request, assignment, form, answering, *, status: int = 200):
    return render(
        request,
        "directives/assignment_report.html",
        {
            "assignment": assignment,
            "task": assignment.task,
            "directive": assignment.task.directive,
            "form": form,
            "answering": answering,
        },
        status=status,
    )


# --- Extensions and explanations -----------------------------------------------------------


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request.user, pk)
    _require_reporter(request.user, assignment)
    form = ExtensionRequestForm(request.POST, assignment=assignment)
    if form.is_valid():
        try:
            services.extension_request_create(
                assignment=assignment,
                by=request.user,
                proposed_due_on=form.cleaned_data["proposed_due_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your extension request was sent to the monitor."))
            return redirect("progress:assignment_detail", pk=pk)
    return _render_assignment(request, assignment, status=INVALID, extension_form=form)


@login_required
@require_POST
def explanation_request(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request.user, pk)
    if not services.can_review(request.user, assignment):
        raise PermissionDenied
    form = ExplanationRequestForm(request.POST)
    if form.is_valid():
        if assignment.current_status != Status.OVERDUE:
            form.add_error(None, _("An explanation can only be asked for an overdue assignment."))
        else:
            services.explanation_request_create(
                assignment=assignment, by=request.user, message=form.cleaned_data["message"]
            )
            messages.success(request, _("The unit was asked for an explanation."))
            return redirect("progress:assignment_detail", pk=pk)
    return _render_assignment(request, assignment, status=INVALID, explanation_form=form)


@login_required
@require_POST
def explanation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Assignment.objects.visible_to(request.user)
    try:
        explanation = ExplanationRequest.objects.get(pk=pk, assignment__in=visible)
    except ExplanationRequest.DoesNotExist as exc:
        raise Http404 from exc
    assignment = _assignment_or_404(request.user, explanation.assignment_id)
    _require_reporter(request.user, assignment)
    form = ExplanationAnswerForm(request.POST, auto_id=f"id_answer{pk}_%s")
    if form.is_valid():
        try:
            services.explanation_answer(
                request=explanation, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your explanation was sent."))
            return redirect("progress:assignment_detail", pk=assignment.pk)
    return _render_assignment(
        request, assignment, status=INVALID, answer_form=form, answer_for=explanation.pk
    )


# --- Review queue --------------------------------------------------------------------------


def _require_reviewer(user) -> None:
    if not user.has_perm("directives.review"):
        raise PermissionDenied


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request.user)
    return _render_queue(request)


def _render_queue(request, *, failed=None, status: int = 200):
    """The queue; ``failed`` is (kind, pk, form) of a decision that came back with errors
    on a normal POST, shown on its row."""
    user = request.user
    reports = selectors.review_queue_reports(user=user)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    extensions = selectors.extensions_awaiting_decision(user=user)
    return render(
        request,
        "directives/review_queue.html",
        {
            "page_obj": page,
            "reports": page.object_list,
            "extensions": extensions,
            "querystring": "",
            "failed": failed,
        },
        status=status,
    )


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or return a report. HTMX: the row is replaced by the outcome."""
    _require_reviewer(request.user)
    try:
        report = (
            selectors.reports_reviewable_by(user=request.user)
            .prefetch_related(Prefetch("attachments"))
            .get(pk=pk)
        )
    except ProgressReport.DoesNotExist as exc:
        raise Http404 from exc
    form = ReviewForm(request.POST, auto_id=f"id_review{pk}_%s")
    if form.is_valid():
        try:
            report = services.progress_review(
                report=report,
                reviewer=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
    if form.errors:
        if request.htmx:
            return render(
                request,
                "directives/partials/progress_review_row.html",
                {"r": report, "form": form},
                status=INVALID,
            )
        return _render_queue(request, failed=("report", pk, form), status=INVALID)
    if request.htmx:
        return render(request, "directives/partials/progress_review_done.html", {"r": report})
    if report.status == "accepted":
        messages.success(request, _("The report was accepted."))
    else:
        messages.success(request, _("The report was returned to the unit."))
    return redirect("progress:review_queue")


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request.user)
    try:
        extension = selectors.extensions_reviewable_by(user=request.user).get(pk=pk)
    except ExtensionRequest.DoesNotExist as exc:
        raise Http404 from exc
    form = ExtensionDecisionForm(request.POST, auto_id=f"id_extension{pk}_%s")
    if form.is_valid():
        try:
            extension = services.extension_decide(
                request=extension,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
    if form.errors:
        if request.htmx:
            return render(
                request,
                "directives/partials/progress_extension_row.html",
                {"e": extension, "form": form},
                status=INVALID,
            )
        return _render_queue(request, failed=("extension", pk, form), status=INVALID)
    if request.htmx:
        return render(request, "directives/partials/progress_extension_done.html", {"e": extension})
    if extension.status == "approved":
        messages.success(request, _("The extension was approved."))
    else:
        messages.success(request, _("The extension was refused."))
    return redirect("progress:review_queue")
