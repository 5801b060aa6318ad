"""Forms of the directive pages: a directive with its tasks, and assigning a task to units.

They check input and limit every choice to what the user may see or change; the writes
themselves go through directives.services.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from config.validation import LimitedFormMixin
from directives.models import (
    AssignmentRole,
    DeadlineKind,
    Directive,
    Task,
)
from directives.uploads import validate_upload
from units.models import Unit, UnitKind, UnitLevel
from units.text import nfc

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, so templates can render fields as they are."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def nfc_strings(cleaned: dict) -> dict:
    """Text is stored NFC-normalised whatever form it was typed or pasted in."""
    return {k: nfc(v) if isinstance(v, str) else v for k, v in cleaned.items()}


class DateInput(forms.DateInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={**DATE_WIDGET_ATTRS, **(attrs or {})}, format="%d/%m/%Y")


class DirectiveForm(LimitedFormMixin, forms.ModelForm):
    """The header of a directive. Issuer and monitoring unit are limited to the units the
    user may change; ``implements`` to the directives the user may see."""

    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One recipient per line, as in “Nơi nhận”."),
    )
    attachment = forms.FileField(
        label=_("Attach the document file"),
        required=False,
        help_text=_("Optional: the signed document (PDF, Word...)."),
    )

    class Meta:
        model = Directive
        fields = [
            "kind",
            "number",
            "code",
            "issuer",
            "issued_on",
            "place",
            "term",
            "subject",
            "full_text",
            "signer_on_behalf",
            "signer_title",
            "signer_name",
            "recipients",
            "confidential",
            "status",
            "implements",
            "monitoring_unit",
        ]
        widgets = {
            "issued_on": DateInput(),
            "subject": forms.Textarea(attrs={"rows": 2}),
            "full_text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(
        self,
        *args,
        units: QuerySet[Unit],
        directives: QuerySet[Directive],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = units
        self.fields["monitoring_unit"].queryset = units
        if self.instance.pk:
            directives = directives.exclude(pk=self.instance.pk)
        self.fields["implements"].queryset = directives.select_related(None).order_by(
            "-issued_on", "-id"
        )
        self.fields["issued_on"].error_messages["invalid"] = _(
            "Enter a valid date as dd/mm/yyyy, e.g. 05/02/2025."
        )
        self.fields["subject"].error_messages["required"] = _(
            "Write the subject of the document (“về ...”)."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["recipients"] = "\n".join(self.instance.recipients)
        style_fields(self)

    def clean_recipients(self) -> list[str]:
        lines = (self.cleaned_data.get("recipients") or "").splitlines()
        return [nfc(line.strip(" -+\t")) for line in lines if line.strip(" -+\t")]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self) -> dict:
        self.cleaned_data = nfc_strings(super().clean())
        return self.cleaned_data


class TaskForm(LimitedFormMixin, forms.ModelForm):
    """One task in the directive form. The deadline fields must agree: a date or a period
    needs its (last) day, a recurring duty its first occurrence and how often it recurs."""

    class Meta:
        model = Task
        fields = [
            "section",
            "title",
            "description",
            "deadline_kind",
            "due_on",
            "period_label",
            "recurrence",
            "target_indicator",
            "target_unit",
            "target_value",
            "baseline_value",
        ]
        widgets = {
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].error_messages["invalid"] = _(
            "Enter a valid date as dd/mm/yyyy, e.g. 05/02/2025."
        )
        self.fields["title"].error_messages["required"] = _("Write what the task is.")
        style_fields(self)

    def clean(self) -> dict:
        cleaned = nfc_strings(super().clean())
        self.cleaned_data = cleaned
        kind = cleaned.get("deadline_kind")
        if kind == DeadlineKind.RECURRING and not cleaned.get("recurrence"):
            self.add_error("recurrence", _("Choose how often this recurring task repeats."))
        if kind in (DeadlineKind.DATE, DeadlineKind.PERIOD, DeadlineKind.RECURRING) and (
            cleaned.get("due_on") is None and "due_on" not in self.errors
        ):
            messages = {
                DeadlineKind.DATE: _("Enter the due date (dd/mm/yyyy)."),
                DeadlineKind.PERIOD: _(
                    "Enter the last day of the period (e.g. 30/09/2023 for “Quý III/2023”)."
                ),
                DeadlineKind.RECURRING: _("Enter the date of the first occurrence."),
            }
            self.add_error("due_on", messages[kind])
        if kind == DeadlineKind.ONGOING:
            # An ongoing duty has no deadline; a stray date would make it look overdue.
            cleaned["due_on"] = None
        if kind != DeadlineKind.RECURRING:
            cleaned["recurrence"] = ""
        if cleaned.get("target_value") is not None and not cleaned.get("target_indicator"):
            self.add_error("target_indicator", _("Name the indicator the target value measures."))
        return cleaned


class BaseTaskFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        titles = [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]
        sections = [c.get("section") for c in titles if c.get("section")]
        duplicates = sorted({s for s in sections if sections.count(s) > 1})
        if duplicates:
            raise ValidationError(
                _("Section %(sections)s is used by more than one task.")
                % {"sections": ", ".join(duplicates)}
            )


TaskFormSet = forms.inlineformset_factory(
    Directive,
    Task,
    form=TaskForm,
    formset=BaseTaskFormSet,
    extra=1,
    can_delete=False,
)


class TaskAssignForm(LimitedFormMixin, forms.Form):
    """Give a task to units picked one by one, or to every unit of a kind under a parent
    ("Đảng ủy các xã, phường" of a town) in one go. Every unit offered is in the user's
    scope; a unit id from elsewhere is refused as an invalid choice."""

    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to pick several."),
    )
    parent = forms.ModelChoiceField(
        label=_("Or every unit under"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label="—",
    )
    kind = forms.ChoiceField(
        label=_("of the kind"), choices=[("", "—"), *UnitKind.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("at the level"),
        choices=[("", _("Any level")), *UnitLevel.choices],
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=AssignmentRole.choices, initial=AssignmentRole.LEAD
    )
    due_on = forms.DateField(
        label=_("Own due date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to use the task's deadline."),
        error_messages={"invalid": _("Enter a valid date as dd/mm/yyyy, e.g. 05/02/2025.")},
    )

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["parent"].queryset = units
        style_fields(self)

    def clean(self) -> dict:
        cleaned = super().clean()
        picked = cleaned.get("units")
        parent, kind = cleaned.get("parent"), cleaned.get("kind")
        if (parent or kind) and not (parent and kind):
            self.add_error(
                "kind" if parent else "parent",
                _("Choose both the parent unit and the kind of units under it."),
            )
        elif not picked and not parent and not self.errors:
            raise ValidationError(
                _("Choose at least one unit, or a parent unit and a kind of units.")
            )
        return cleaned


class ConfirmForm(forms.Form):
    """An empty form: the POST of a confirmation page is the confirmation."""
