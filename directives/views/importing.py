"""Import a directive from its text: paste or upload → review the proposal → confirm.

Only monitors and administrators import. Every unit offered (issuer, monitoring unit,
lead and coordinating units) is one the user may see; a unit id outside that list is
refused by the form and again by `directive_import`. The proposal waits in the session
(`directives.importing.drafts`) until the user confirms, and nothing is written before.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from config.validation import LimitedFormMixin
from directives.forms import DateInput, nfc_strings, style_fields
from directives.importing import ImportTextError, extract_text
from directives.importing.apply import (
    directive_import,
    implemented_code,
    issuer_candidate,
    monitoring_candidate,
    proposal_from_text,
)
from directives.importing.drafts import (
    draft_create,
    draft_delete,
    draft_get,
    draft_save_form_data,
)
from directives.models import Directive, DirectiveKind, Recurrence
from directives.uploads import content_type_of
from units.models import Role, Unit, User

ACCEPTED_TYPES = (".txt", ".docx", ".pdf")
MAX_TEXT_CHARS = 500_000


def _require_importer(user: User) -> None:
    if not user.can_manage_directives:
        raise PermissionDenied


def _units(user: User) -> list[tuple[int, str, int]]:
    """(id, name, depth) of every active unit the user may use, in tree order: one query."""
    rows = Unit.objects.visible_to(user).active().order_by("path")
    return list(rows.values_list("pk", "name", "depth"))


# --------------------------------------------------------------------------- step 1


class ImportSourceForm(LimitedFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Paste the text of the document"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    upload = forms.FileField(
        label=gettext_lazy("or choose a file (.txt, .docx, .pdf)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_TYPES)}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean(self) -> dict:
        """The document's text, from the paste box or from the file (type, size and
        content checked), never both."""
        cleaned = super().clean()
        text = (cleaned.get("text") or "").strip()
        upload = cleaned.get("upload")
        if self.errors:
            return cleaned
        if text and upload:
            raise ValidationError(_("Paste the text or choose a file, not both."))
        if upload:
            extension = Path(upload.name or "").suffix.lower()
            if extension not in ACCEPTED_TYPES:
                raise ValidationError(
                    _("“%(name)s”: only .txt, .docx and .pdf files can be imported.")
                    % {"name": upload.name}
                )
            limit = settings.MAX_UPLOAD_MB * 1024 * 1024
            if upload.size > limit:
                raise ValidationError(
                    _("“%(name)s” is larger than %(limit)d MB.")
                    % {"name": upload.name, "limit": settings.MAX_UPLOAD_MB}
                )
            try:
                text = extract_text(upload.name, upload.read()).strip()
            except ImportTextError as exc:
                raise ValidationError(str(exc)) from exc
            # A readable file must still be what its name says (an executable is not text).
            if content_type_of(upload, extension) is None:
                raise ValidationError(
                    _("“%(name)s” does not contain what its name says; it was not accepted.")
                    % {"name": upload.name}
                )
        if not text:
            raise ValidationError(_("Paste the text of the document or choose a file."))
        cleaned["document"] = text
        return cleaned


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


class _UnitChoiceField(forms.TypedChoiceField):
    """A unit among ``choices`` (ids the user may use); validated without a query."""

    def __init__(self, **kwargs) -> None:
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)


class ImportHeaderForm(LimitedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=DirectiveKind.choices)
    code = forms.CharField(label=gettext_lazy("Number"), max_length=60, required=False)
    issued_on = forms.DateField(label=gettext_lazy("Issued on"), widget=DateInput())
    place = forms.CharField(label=gettext_lazy("Place"), max_length=120, required=False)
    term = forms.CharField(label=gettext_lazy("Term"), max_length=20, required=False)
    subject = forms.CharField(
        label=gettext_lazy("Subject"), widget=forms.Textarea(attrs={"rows": 2})
    )
    issuer = _UnitChoiceField(label=gettext_lazy("Issued by"))
    monitoring_unit = _UnitChoiceField(label=gettext_lazy("Monitoring unit"))
    signer_on_behalf = forms.CharField(
        label=gettext_lazy("On behalf of"), max_length=120, required=False
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Signer's title"), max_length=120, required=False
    )
    signer_name = forms.CharField(label=gettext_lazy("Signer"), max_length=120, required=False)
    recipients = forms.CharField(
        label=gettext_lazy("Recipients"),
        required=False,
        help_text=gettext_lazy("One per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, unit_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [("", "—"), *unit_choices]
        self.fields["monitoring_unit"].choices = [("", "—"), *unit_choices]
        style_fields(self)

    def clean_issuer(self) -> int:
        if self.cleaned_data.get("issuer") is None:
            raise ValidationError(_("Choose the issuing unit."))
        return self.cleaned_data["issuer"]

    def clean(self) -> dict:
        return nfc_strings(super().clean())


class ImportTaskForm(LimitedFormMixin, forms.Form):
    index = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    section = forms.CharField(label=gettext_lazy("Section"), max_length=20, required=False)
    text = forms.CharField(label=gettext_lazy("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=gettext_lazy("Due on"), required=False, widget=DateInput())
    recurrence = forms.ChoiceField(
        label=gettext_lazy("Recurrence"),
        choices=[("", "—"), *Recurrence.choices],
        required=False,
    )
    ongoing = forms.BooleanField(label=gettext_lazy("Ongoing"), required=False)
    lead = _UnitChoiceField(label=gettext_lazy("Lead unit"))
    coordinating = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Coordinating units"), coerce=int, required=False
    )

    def __init__(self, *args, unit_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "—"), *unit_choices]
        self.fields["coordinating"].choices = unit_choices
        style_fields(self)

    def clean(self) -> dict:
        cleaned = nfc_strings(super().clean())
        if cleaned.get("ongoing") and cleaned.get("deadline") and not cleaned.get("recurrence"):
            raise ValidationError(
                _("A task is either ongoing or has a due date: clear one of them.")
            )
        return cleaned


class BaseImportTaskFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = gettext_lazy("Remove")
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


ImportTaskFormSet = forms.formset_factory(
    ImportTaskForm, formset=BaseImportTaskFormSet, extra=0, can_delete=True
)


def _header_initial(proposal: dict, user: User, allowed: set[int]) -> dict:
    units = Unit.objects.visible_to(user).active()
    issuer = issuer_candidate(proposal, units)
    monitoring = None
    if user.role == Role.MONITOR and user.unit_id in allowed:
        monitoring = user.unit_id
    elif issuer is not None:
        board = monitoring_candidate(issuer)
        monitoring = board.pk if board is not None and board.pk in allowed else None
    signer = proposal.get("signer") or {}
    issued_on = proposal.get("issued_on")
    return {
        "kind": proposal.get("kind"),
        "code": proposal.get("code") or "",
        "issued_on": datetime.date.fromisoformat(issued_on) if issued_on else None,
        "place": proposal.get("place") or "",
        "term": proposal.get("term") or "",
        "subject": proposal.get("subject") or "",
        "issuer": issuer.pk if issuer is not None else None,
        "monitoring_unit": monitoring,
        "signer_on_behalf": signer.get("on_behalf") or "",
        "signer_title": signer.get("title") or "",
        "signer_name": signer.get("name") or "",
        "recipients": "\n".join(proposal.get("recipients") or []),
    }


def _task_initial(proposal: dict, allowed: set[int]) -> list[dict]:
    rows = []
    for index, task in enumerate(proposal.get("tasks") or []):
        lead = (task.get("lead_unit") or {}).get("unit_id")
        deadline = task.get("deadline")
        rows.append(
            {
                "index": index,
                "section": task.get("section") or "",
                "text": task.get("text") or "",
                "deadline": datetime.date.fromisoformat(deadline) if deadline else None,
                "recurrence": task.get("recurrence") or "",
                # A date found in the text is more useful to follow than "ongoing".
                "ongoing": bool(task.get("ongoing")) and not deadline,
                "lead": lead if lead in allowed else None,
                "coordinating": [
                    c["unit_id"]
                    for c in task.get("coordinating_units") or []
                    if c.get("unit_id") in allowed and c["unit_id"] != lead
                ],
            }
        )
    return rows


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
        form = ImportHeaderForm(initial=_header_initial(proposal, user, allowed), **kwargs)
        formset = ImportTaskFormSet(
            initial=_task_initial(proposal, allowed), prefix="tasks", form_kwargs=kwargs
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
    known = set(Directive.objects.filter(code__in=cited_codes).values_list("code", flat=True))
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
    """Build the reviewed proposal and import it; errors go onto the form."""
    header = form.cleaned_data
    tasks: list[dict] = []
    unit_choices: dict[int, dict] = {}
    originals = proposal.get("tasks") or []
    for task_form in formset.forms:
        row = task_form.cleaned_data
        if not row or row.get("DELETE"):
            continue
        index = row["index"]
        original = originals[index] if index < len(originals) else {}
        written_due = original.get("deadline")
        deadline = row.get("deadline")
        # The period as written stays only while the date is still the one it gives.
        label = original.get("deadline_label") if deadline and str(deadline) == written_due else ""
        unit_choices[len(tasks)] = {
            "lead": row.get("lead"),
            "coordinating": [pk for pk in row.get("coordinating") or [] if pk != row.get("lead")],
        }
        tasks.append(
            {
                "section": row.get("section") or "",
                "text": row["text"],
                "deadline": deadline.isoformat() if deadline else None,
                "deadline_label": label or "",
                "recurrence": row.get("recurrence") or None,
                "ongoing": bool(row.get("ongoing")),
                "target": original.get("target"),
            }
        )
    reviewed = {
        **proposal,
        "kind": header["kind"],
        "code": header["code"].strip(),
        "number": "",
        "issued_on": header["issued_on"].isoformat(),
        "place": header["place"],
        "term": header["term"],
        "subject": header["subject"],
        "signer": {
            "on_behalf": header["signer_on_behalf"],
            "title": header["signer_title"],
            "name": header["signer_name"],
        },
        "recipients": [r.strip() for r in header["recipients"].splitlines() if r.strip()],
        "tasks": tasks,
    }
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[header["issuer"], header["monitoring_unit"]])
    }
    try:
        return directive_import(
            proposal=reviewed,
            by=request.user,
            issuer=units[header["issuer"]],
            monitoring_unit=units.get(header["monitoring_unit"]),
            unit_choices=unit_choices,
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
