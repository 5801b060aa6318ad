"""Import a directive from its text: paste or upload → review the proposal → confirm.

Only monitors and administrators import. Every unit offered (issuer, monitoring unit,
lead and coordinating units) is one the user may see; a unit id outside that list is
refused by the form and again by `directive_import`. The proposal waits in the session
(`directives.importing.drafts`) until the user confirms, and nothing is written before.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directives.importing.apply import (
    directive_import_reviewed,
    implemented_code,
    proposal_from_text,
)
from directives.importing.drafts import (
    draft_create,
    draft_delete,
    draft_get,
    draft_save_form_data,
)
from directives.importing.forms import (
    ImportHeaderForm,
    ImportSourceForm,
    ImportTaskFormSet,
    header_initial,
    task_initial,
)
from directives.models import Directive
from units.models import Unit, User


def _require_importer(user: User) -> None:
    if not user.has_perm("directives.import_directive"):
        raise PermissionDenied


def _units(user: User) -> list[tuple[int, str, int]]:
    """(id, name, depth) of every active unit the user may use, in tree order: one query."""
    rows = Unit.objects.visible_to(user).active().order_by("path")
    return list(rows.values_list("pk", "name", "depth"))


# --------------------------------------------------------------------------- step 1


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the text. A directive goes on to review; anything else is refused with the
    parser's reasons and nothing is kept."""
    user = request.user
    _require_importer(user)
    status = 200
    refused: dict | None = None
    if request.method == "POST":
        form = ImportSourceForm(request.POST, request.FILES)
        if form.is_valid():
            units = Unit.objects.visible_to(user).active()
            proposal = proposal_from_text(form.cleaned_data["document"], units=units)
            if proposal.get("is_directive", True):
                draft_id = draft_create(request.session, proposal=proposal)
                return redirect("directives:import_review", draft=draft_id)
            refused = proposal
            status = 422
        else:
            status = 400
    else:
        form = ImportSourceForm()
    return render(
        request,
        "directives/import_start.html",
        {"form": form, "refused": refused},
        status=status,
    )


# --------------------------------------------------------------------------- step 2


def _as_written(task: dict, allowed: set[int]) -> list[dict]:
    """The bodies the text names for a task, flagged when no usable unit matched."""
    out = []
    named = [("lead", task.get("lead_unit"))]
    named += [("coordinating", c) for c in task.get("coordinating_units") or []]
    for role, match in named:
        if match:
            out.append(
                {"role": role, "name": match["name"], "new": match.get("unit_id") not in allowed}
            )
    return out


def _selected(value, names: dict[int, str]) -> list[tuple[int, str]]:
    values = value if isinstance(value, list | tuple) else [value]
    out = []
    for v in values:
        try:
            pk = int(v)
        except (TypeError, ValueError):
            continue
        if pk in names:
            out.append((pk, names[pk]))
    return out


def _directive_url(directive: Directive) -> str:
    try:
        return reverse("directives:detail", args=[directive.pk])
    except NoReverseMatch:
        return reverse("directives:list")


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, draft: str) -> HttpResponse:
    """Step 2: the text beside the proposal, every field editable; confirm creates it all.

    1. the draft must be in this user's session (else 404) and the user an importer;
    2. on POST the header and the tasks are validated together against the units the
       user may use; removed task rows are skipped;
    3. `directive_import` writes everything in one transaction; on any refusal nothing is
       written, what was typed is kept with the draft, and the page returns with a 400.
    """
    user = request.user
    _require_importer(user)
    stored = draft_get(request.session, draft)
    if stored is None:
        raise Http404
    proposal = stored["proposal"]
    unit_rows = _units(user)
    names = {pk: name for pk, name, _depth in unit_rows}
    allowed = set(names)
    choices = list(names.items())
    kwargs = {"unit_choices": choices}
    status = 200
    data = None
    if request.method == "POST":
        data = request.POST
    elif stored.get("form_data"):
        data = MultiValueDict(stored["form_data"])
    if data is not None:
        form = ImportHeaderForm(data, **kwargs)
        formset = ImportTaskFormSet(data, prefix="tasks", form_kwargs=kwargs)
    else:
        form = ImportHeaderForm(initial=header_initial(proposal, user, allowed), **kwargs)
        formset = ImportTaskFormSet(
            initial=task_initial(proposal, allowed), prefix="tasks", form_kwargs=kwargs
        )

    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            directive = _confirm(request, proposal, form, formset)
            if directive is not None:
                draft_delete(request.session, draft)
                messages.success(
                    request,
                    _("%(directive)s was imported with %(count)d tasks.")
                    % {"directive": directive, "count": directive.tasks.count()},
                )
                return redirect(_directive_url(directive))
        draft_save_form_data(
            request.session,
            draft,
            {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"},
        )
        messages.error(request, _("Nothing was imported: please correct what is marked below."))
        status = 400

    originals = proposal.get("tasks") or []
    for task_form in formset:
        index = task_form["index"].value()
        try:
            original = originals[int(index)]
        except (TypeError, ValueError, IndexError):
            original = {}
        task_form.as_written = _as_written(original, allowed)
        task_form.deadline_label = original.get("deadline_label") or ""
        task_form.lead_selected = _selected(task_form["lead"].value(), names)
        task_form.coordinating_selected = _selected(task_form["coordinating"].value(), names)
    cited_codes = [r["code"] for r in proposal.get("references") or []]
    # Only documents the user may see: a hidden one reads as unknown, not as "in the system".
    visible = Directive.objects.visible_to(user)
    known = set(visible.filter(code__in=cited_codes).values_list("code", flat=True))
    return render(
        request,
        "directives/import_review.html",
        {
            "draft": draft,
            "proposal": proposal,
            "form": form,
            "formset": formset,
            "unit_rows": unit_rows,
            "issuer_selected": _selected(form["issuer"].value(), names),
            "monitoring_selected": _selected(form["monitoring_unit"].value(), names),
            "references": [
                {**r, "known": r["code"] in known} for r in proposal.get("references") or []
            ],
            "implements_code": implemented_code(proposal.get("subject")),
        },
        status=status,
    )


def _confirm(request, proposal: dict, form, formset) -> Directive | None:
    """Import the proposal as reviewed on the page; refusals go onto the form."""
    rows = [row for row in (f.cleaned_data for f in formset.forms) if row and not row.get("DELETE")]
    try:
        return directive_import_reviewed(
            proposal=proposal, header=form.cleaned_data, rows=rows, by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
