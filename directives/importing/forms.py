"""Forms of the import pages: the text (pasted or a file), then the reviewed proposal's
header and tasks, every unit limited to the ids the user may use."""

from __future__ import annotations

import datetime
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.validation import LimitedFormMixin
from directives.forms import DateInput, nfc_strings, style_fields
from directives.importing import ImportTextError, extract_text
from directives.importing.apply import PastDue, issuer_candidate, monitoring_candidate
from directives.importing.groups import CHOICES as GROUP_CHOICES
from directives.importing.groups import group_for_name
from directives.models import DirectiveKind, Recurrence
from directives.uploads import content_type_of
from units.models import Role, Unit, User

ACCEPTED_TYPES = (".txt", ".docx", ".pdf")
MAX_TEXT_CHARS = 500_000


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
    past_due_all = forms.ChoiceField(
        label=gettext_lazy("Tasks whose deadline has already passed"),
        choices=[("", "—"), *PastDue.choices],
        required=False,
    )
    import_anyway = forms.BooleanField(
        label=gettext_lazy("Import a new copy anyway"), required=False
    )

    def __init__(self, *args, unit_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [("", "—"), *unit_choices]
        self.fields["monitoring_unit"].choices = [("", "—"), *unit_choices]
        style_fields(self)
        self.fields["import_anyway"].widget.attrs["class"] = "form-check-input"

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
    lead_group = forms.ChoiceField(
        label=gettext_lazy("or every unit of"),
        choices=[("", "—"), *GROUP_CHOICES],
        required=False,
    )
    unassigned = forms.BooleanField(label=gettext_lazy("Not assigned yet"), required=False)
    coordinating = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Coordinating units"), coerce=int, required=False
    )
    past_due = forms.ChoiceField(
        label=gettext_lazy("The deadline has passed"),
        choices=[("", "—"), *PastDue.choices],
        required=False,
    )

    def __init__(self, *args, unit_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "—"), *unit_choices]
        self.fields["coordinating"].choices = unit_choices
        style_fields(self)
        self.fields["unassigned"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict:
        """A task is given to a lead (a unit or a group) or explicitly left unassigned."""
        cleaned = nfc_strings(super().clean())
        if cleaned.get("ongoing") and cleaned.get("deadline") and not cleaned.get("recurrence"):
            raise ValidationError(
                _("A task is either ongoing or has a due date: clear one of them.")
            )
        if cleaned.get("lead") is not None and cleaned.get("lead_group"):
            raise ValidationError(_("Choose one lead unit or a group of units, not both."))
        has_lead = cleaned.get("lead") is not None or bool(cleaned.get("lead_group"))
        if cleaned.get("unassigned") and has_lead:
            raise ValidationError(
                _("A task with a lead unit is not “not assigned yet”: clear one of them.")
            )
        if not cleaned.get("unassigned") and not has_lead and not self.has_error("lead"):
            raise ValidationError(_("Choose the lead unit, or tick “Not assigned yet”."))
        return cleaned


class BaseImportTaskFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = gettext_lazy("Remove")
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


ImportTaskFormSet = forms.formset_factory(
    ImportTaskForm, formset=BaseImportTaskFormSet, extra=0, can_delete=True
)


def header_initial(proposal: dict, user: User, allowed: set[int]) -> dict:
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
        "past_due_all": "",
        "import_anyway": False,
    }


def task_initial(proposal: dict, allowed: set[int]) -> list[dict]:
    rows = []
    for index, task in enumerate(proposal.get("tasks") or []):
        lead = (task.get("lead_unit") or {}).get("unit_id")
        group = None if lead else group_for_name((task.get("lead_unit") or {}).get("name"))
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
                "lead_group": group.key if group is not None else "",
                "coordinating": [
                    c["unit_id"]
                    for c in task.get("coordinating_units") or []
                    if c.get("unit_id") in allowed and c["unit_id"] != lead
                ],
            }
        )
    return rows
