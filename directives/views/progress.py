"""The work units do on their assignments, and the monitor's review of it.

Every object is looked up through a selector scoped to the user (404 outside it); every
write goes through a service, which raises PermissionDenied (403) for a forbidden action.
HTMX requests get the same template blocks as full pages, swapped in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.pagination import paginate
from directives import selectors, services
from directives.models import (
    Assignment,
    ExplanationRequest,
    ProgressAttachment,
)
from directives.progress_forms import (
    EXTENSION_DECISION,
    REPORT_DECISION,
    DecisionForm,
    ExplanationAnswerForm,
    ExplanationRequestForm,
    ExtensionRequestForm,
    ProgressReportForm,
    QuickProgressForm,
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


def _saved(form, write: Callable[[dict], object]) -> bool:
    """Validate ``form`` and hand its values to ``write`` (a service); False, with the
    reasons on the form, when either refuses."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        _add_service_errors(form, exc)
        return False
    return True


# --- Việc của tôi ----------------------------------------------------------------------


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows, filterset, counts = selectors.my_work_for_user(user=user, filters=request.GET)
    context = {
        "filter": filterset,
        **paginate(request, rows, 25),
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
        form = form_class(assignment=assignment, answering=answering, auto_id=auto_id)
        if quick:
            return _render_row(request, pk, quick_form=form)
        return _render_report_form(request, assignment, form, answering)

    form = form_class(
        request.POST, request.FILES, assignment=assignment, answering=answering, auto_id=auto_id
    )
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


def _ask(request, assignment: Assignment, form, create: Callable, said: str) -> HttpResponse:
    """Create a request about ``assignment`` (an extension, an explanation) with ``create``,
    then back to its page; refused, its page again with the form's errors."""
    if _saved(form, lambda data: create(assignment=assignment, by=request.user, **data)):
        messages.success(request, said)
        return redirect("progress:assignment_detail", pk=assignment.pk)
    name = "extension_form" if isinstance(form, ExtensionRequestForm) else "explanation_form"
    return _render_assignment(request, assignment, status=INVALID, **{name: form})


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request.user, pk)
    _require_reporter(request.user, assignment)
    form = ExtensionRequestForm(request.POST, assignment=assignment)
    said = _("Your extension request was sent to the monitor.")
    return _ask(request, assignment, form, services.extension_request_create, said)


@login_required
@require_POST
def explanation_request(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request.user, pk)
    if not services.can_review(request.user, assignment):
        raise PermissionDenied
    form = ExplanationRequestForm(request.POST)
    said = _("The unit was asked for an explanation.")
    return _ask(request, assignment, form, services.explanation_request_create, said)


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
    answer = services.explanation_answer
    if _saved(form, lambda data: answer(request=explanation, by=request.user, **data)):
        messages.success(request, _("Your explanation was sent."))
        return redirect("progress:assignment_detail", pk=assignment.pk)
    return _render_assignment(
        request, assignment, status=INVALID, answer_form=form, answer_for=explanation.pk
    )


# --- Review queue --------------------------------------------------------------------------


def _require_reviewer(user) -> None:
    if not user.has_perm("directives.review"):
        raise PermissionDenied


def _require_leader(user) -> None:
    if not user.has_perm("directives.approve_for_unit"):
        raise PermissionDenied


# After a decision the page's counts reload themselves (hx-trigger on this event).
DECIDED_EVENT = "review-decided"


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """The monitor's queue of reports and extension requests; for a unit leader, the
    unit's reports waiting for approval before they go to the committee."""
    user = request.user
    if not (user.has_perm("directives.review") or user.has_perm("directives.approve_for_unit")):
        raise PermissionDenied
    return _render_queue(request)


def _render_queue(request, *, failed=None, status: int = 200):
    """The queue; ``failed`` is (kind, pk, form) of a decision that came back with errors
    on a normal POST, shown on its row."""
    user = request.user
    leader_mode = not user.has_perm("directives.review")
    if leader_mode:
        reports = selectors.reports_awaiting_leader(user=user)
        extensions = []
    else:
        reports = selectors.review_queue_reports(user=user)
        extensions = selectors.extensions_awaiting_decision(user=user)
    page = paginate(request, reports, 25)
    return render(
        request,
        "directives/review_queue.html",
        {
            **page,
            "reports": page["rows"],
            "extensions": extensions,
            "failed": failed,
            "leader_mode": leader_mode,
            "decide_url": "progress:report_approve" if leader_mode else "progress:report_review",
        },
        status=status,
    )


@dataclass(frozen=True)
class _Decision:
    """What differs between deciding on a report and on an extension request; the flow
    (`_decide`) is one."""

    kind: str  # which row of the queue a failed decision is shown on
    may: Callable  # (user) -> None, or PermissionDenied
    reviewable: Callable  # (user) -> the objects the user may decide on
    decide: Callable  # (obj, by, yes, comment) -> obj, through the service
    form: dict  # DecisionForm's parameters
    stem: str  # of its field ids and row templates
    name: str  # the object's name in the row templates
    said_yes: str
    said_no: str
    decide_url: str = ""  # the URL name the row's form posts to, when not the default

    def row_template(self, outcome: str) -> str:
        return f"directives/partials/progress_{self.stem}_{outcome}.html"


_REPORT = _Decision(
    kind="report",
    may=_require_reviewer,
    reviewable=lambda user: selectors.reports_reviewable_by(user=user).prefetch_related(
        Prefetch("attachments")
    ),
    decide=lambda report, by, yes, comment: services.progress_review(
        report=report, reviewer=by, accept=yes, comment=comment
    ),
    form=REPORT_DECISION,
    stem="review",
    name="r",
    said_yes=gettext_lazy("The report was accepted."),
    said_no=gettext_lazy("The report was returned to the unit."),
)
_EXTENSION = _Decision(
    kind="extension",
    may=_require_reviewer,
    reviewable=lambda user: selectors.extensions_reviewable_by(user=user),
    decide=lambda extension, by, yes, comment: services.extension_decide(
        request=extension, by=by, approve=yes, comment=comment
    ),
    form=EXTENSION_DECISION,
    stem="extension",
    name="e",
    said_yes=gettext_lazy("The extension was approved."),
    said_no=gettext_lazy("The extension was refused."),
)

_APPROVAL = _Decision(
    kind="report",
    may=_require_leader,
    reviewable=lambda user: selectors.reports_awaiting_leader(user=user),
    decide=lambda report, by, yes, comment: services.progress_leader_decide(
        report=report, leader=by, approve=yes, comment=comment
    ),
    form=REPORT_DECISION,
    stem="review",
    name="r",
    said_yes=gettext_lazy("The report was approved and sent to the committee."),
    said_no=gettext_lazy("The report was returned to its author."),
    decide_url="progress:report_approve",
)


def _decide(request: HttpRequest, pk: int, flow: _Decision) -> HttpResponse:
    """The monitor's decision on one row of the queue.

    1. reviewers only (403), on what they may decide on (404 otherwise);
    2. the form, then the service, whose refusals come back on the form;
    3. HTMX: the row is replaced by the outcome, or by itself with the errors (422);
       otherwise back to the queue with a message, or the queue with the row's errors.
    """
    flow.may(request.user)
    try:
        obj = flow.reviewable(request.user).get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    form = DecisionForm(request.POST, auto_id=f"id_{flow.stem}{pk}_%s", **flow.form)
    if form.is_valid():
        try:
            obj = flow.decide(obj, request.user, form.says_yes, form.cleaned_data["comment"])
        except ValidationError as exc:
            _add_service_errors(form, exc)
    if form.errors:
        if request.htmx:
            return render(
                request,
                flow.row_template("row"),
                {flow.name: obj, "form": form, "decide_url": flow.decide_url},
                status=INVALID,
            )
        return _render_queue(request, failed=(flow.kind, pk, form), status=INVALID)
    if request.htmx:
        response = render(request, flow.row_template("done"), {flow.name: obj})
        response["HX-Trigger"] = DECIDED_EVENT
        return response
    messages.success(request, flow.said_yes if form.says_yes else flow.said_no)
    return redirect("progress:review_queue")


def _decision_view(flow: _Decision):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _decide(request, pk, flow)

    return view


# Accept or return a report; approve or refuse an extension request.
report_review = _decision_view(_REPORT)
extension_decide = _decision_view(_EXTENSION)
# The unit leader approves a report for the committee, or returns it.
report_approve = _decision_view(_APPROVAL)
