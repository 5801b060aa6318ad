"""Import a directive from its text: paste or upload → review the proposal → confirm.

Only monitors and administrators import. Every unit offered (issuer, monitoring unit,
lead and coordinating units) is one the user may see; a unit id outside that list is
refused by the form and again by `directive_import`. The proposal waits as the user's
draft (`directives.importing.drafts`, kept across logins) until the user confirms or
discards it, and no directive is written before.

Before confirming, the review warns when the document seems to be in the system already
(only among directives the user may see) and asks for a deliberate choice; every task
needs a lead (a unit, or a group such as "Đảng ủy các xã, phường") or "not assigned
yet"; a deadline already past needs a decision: follow it, or record it as history.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directives.importing.apply import implemented_code, proposal_from_text
from directives.importing.drafts import (
    draft_create,
    draft_delete,
    draft_get,
    draft_save_form_data,
    drafts_of,
)
from directives.importing.duplicates import existing_copies
from directives.importing.forms import (
    ImportHeaderForm,
    ImportSourceForm,
    ImportTaskFormSet,
    header_initial,
    task_initial,
)
from directives.importing.groups import BY_KEY as GROUPS
from directives.importing.groups import group_count_in
from directives.importing.review import (
    deadline_passed,
    directive_import_reviewed,
    past_due_history,
)
from directives.models import Directive
from units.models import Unit, User


def _the_user(request: HttpRequest) -> User:
    """The user object itself, its scope computed once: every scoped query of the page
    (`Unit.objects.visible_to`) then reuses it instead of looking up the committee again,
    which it cannot do through the lazy ``request.user`` wrapper."""
    user = request.user
    user.scope  # noqa: B018 - cached on the user
    return getattr(user, "_wrapped", user)


def _require_importer(user: User) -> None:
    if not user.has_perm("directives.import_directive"):
        raise PermissionDenied


def _units(user: User) -> list[tuple[int, str, str, str, str]]:
    """(id, name, path, kind, level) of every active unit the user may use, in tree
    order: one query."""
    rows = Unit.objects.visible_to(user).active().order_by("path")
    return list(rows.values_list("pk", "name", "path", "kind", "level"))


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
                draft_id = draft_create(user, proposal=proposal)
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
        {"form": form, "refused": refused, "drafts": drafts_of(user)},
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


def _as_date(field) -> datetime.date | None:
    """A date field's current value as a date (typed dd/mm/yyyy or from the proposal)."""
    value = field.value()
    if isinstance(value, datetime.date) or value in (None, ""):
        return value or None
    try:
        return field.field.to_python(value)
    except ValidationError:
        return None


def _row(task_form) -> dict:
    """The task row as typed, for the page's flags (before or without validation)."""
    return {
        "deadline": _as_date(task_form["deadline"]),
        "recurrence": task_form["recurrence"].value(),
        "ongoing": task_form["ongoing"].value() in (True, "on", "true", "True"),
        "unassigned": task_form["unassigned"].value() in (True, "on", "true", "True"),
        "lead": task_form["lead"].value(),
        "lead_group": task_form["lead_group"].value(),
    }


def _issuer_id(form, allowed: set[int]) -> int | None:
    try:
        pk = int(form["issuer"].value())
    except (TypeError, ValueError):
        return None
    return pk if pk in allowed else None


def _copies(form, proposal: dict, user: User, issuer_id: int | None) -> list[Directive]:
    """Directives the user may see that this document already is (same number, same text)."""
    return existing_copies(
        user=user,
        issuer_id=issuer_id,
        code=form["code"].value() or "",
        issued_on=_as_date(form["issued_on"]),
        subject=form["subject"].value() or "",
        text=proposal.get("text") or "",
    )


def _decisions_missing(form, formset, copies: list[Directive], today: datetime.date) -> bool:
    """Put on the page what still needs a deliberate choice; True when something does."""
    missing = False
    if copies and not form.cleaned_data.get("import_anyway"):
        form.add_error(
            "import_anyway",
            _("This document seems to be in the system already: open it, or tick “%(label)s”.")
            % {"label": form.fields["import_anyway"].label},
        )
        missing = True
    default = form.cleaned_data.get("past_due_all") or ""
    for task_form in formset.forms:
        row = task_form.cleaned_data
        if not row or row.get("DELETE"):
            continue
        history = past_due_history(row, default=default, today=today)
        if history is None:
            task_form.add_error(
                "past_due",
                _("The deadline had passed before the import: follow it or record it as history."),
            )
            missing = True
        else:
            row["history"] = history
    return missing


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, draft: str) -> HttpResponse:
    """Step 2: the text beside the proposal, every field editable; confirm creates it all.

    1. the draft must be this user's (else 404) and the user an importer; "discard"
       deletes it;
    2. on POST the header and the tasks are validated together against the units the
       user may use; removed task rows are skipped; a copy already in the system, a task
       with no lead and not marked "not assigned yet", and a past deadline nobody decided
       about are refused until the user chooses;
    3. `directive_import` writes everything in one transaction; on any refusal nothing is
       written, what was typed is kept with the draft, and the page returns with a 400.
    """
    user = _the_user(request)
    _require_importer(user)
    stored = draft_get(user, draft)
    if stored is None:
        raise Http404
    if request.method == "POST" and "discard" in request.POST:
        draft_delete(user, draft)
        messages.info(request, _("The import was discarded; nothing was saved."))
        return redirect("directives:import")
    proposal = stored["proposal"]
    unit_rows = _units(user)
    names = {row[0]: row[1] for row in unit_rows}
    allowed = set(names)
    choices = list(names.items())
    kwargs = {"unit_choices": choices}
    status = 200
    data = None
    today = timezone.localdate()
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
    issuer_id = _issuer_id(form, allowed)
    copies = _copies(form, proposal, user, issuer_id)

    if request.method == "POST":
        if (
            form.is_valid()
            and formset.is_valid()
            and not _decisions_missing(form, formset, copies, today)
        ):
            directive = _confirm(request, proposal, form, formset)
            if directive is not None:
                draft_delete(user, draft)
                messages.success(
                    request,
                    _("%(directive)s was imported with %(count)d tasks.")
                    % {"directive": directive, "count": directive.tasks.count()},
                )
                return redirect(_directive_url(directive))
        draft_save_form_data(
            user,
            draft,
            {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"},
        )
        messages.error(request, _("Nothing was imported: please correct what is marked below."))
        status = 400

    group_counts: dict[str, int] = {}
    originals = proposal.get("tasks") or []
    past_due_count = 0
    for task_form in formset:
        index = task_form["index"].value()
        try:
            original = originals[int(index)]
        except (TypeError, ValueError, IndexError):
            original = {}
        task_form.as_written = _as_written(original, allowed)
        task_form.deadline_label = original.get("deadline_label") or ""
        task_form.source_text = original.get("text") or ""
        task_form.lead_selected = _selected(task_form["lead"].value(), names)
        task_form.coordinating_selected = _selected(task_form["coordinating"].value(), names)
        key = task_form["lead_group"].value() or ""
        if key in GROUPS and key not in group_counts:
            group_counts[key] = group_count_in(key, issuer_id=issuer_id, rows=unit_rows)
        task_form.group = GROUPS.get(key)
        task_form.group_count = group_counts.get(key)
        task_form.deadline_passed = deadline_passed(_row(task_form), today=today)
        past_due_count += task_form.deadline_passed
    cited_codes = [r["code"] for r in proposal.get("references") or []]
    # Only documents the user may see: a hidden one reads as unknown, not as "in the system".
    known = set(
        Directive.objects.visible_to(user)
        .filter(code__in=cited_codes)
        .values_list("code", flat=True)
    )
    references = [
        {**r, "date": _iso_date(r.get("date")), "known": r["code"] in known}
        for r in proposal.get("references") or []
    ]
    return render(
        request,
        "directives/import_review.html",
        {
            "draft": draft,
            "proposal": proposal,
            "form": form,
            "formset": formset,
            "unit_rows": [(pk, name) for pk, name, *_rest in unit_rows],
            "issuer_selected": _selected(form["issuer"].value(), names),
            "monitoring_selected": _selected(form["monitoring_unit"].value(), names),
            "references": references,
            "implements_code": implemented_code(proposal.get("subject")),
            "copies": copies,
            "past_due_count": past_due_count,
        },
        status=status,
    )


def _iso_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


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
