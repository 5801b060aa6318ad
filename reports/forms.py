from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from config.validation import LimitedFormMixin
from directives.models import Directive
from reports.drafting import RollupDraft
from reports.models import (
    NARRATIVE_SECTIONS,
    ReportingPeriod,
    ReportRequest,
    UnitReport,
    UnitReportIndicator,
)
from reports.periods import period_choice_label, periods_offered
from units.models import Unit

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"}
)


class PeriodChoiceField(forms.ModelChoiceField):
    """Periods up to the current year, the one still running marked so."""

    def label_from_instance(self, obj: ReportingPeriod) -> str:
        return period_choice_label(obj)


class RollupCreateForm(LimitedFormMixin, forms.Form):
    """The roll-up's particulars and its narrative, pre-filled by reports/drafting.py; the
    narrative as edited here is what the document says."""

    period = PeriodChoiceField(
        label=_("Period"), queryset=ReportingPeriod.objects.none(), empty_label=None
    )
    subject = forms.CharField(
        label=_("Subject"),
        required=False,
        help_text=_("Leave blank for the standard subject of the period."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    term = forms.CharField(
        label=_("Committee term"),
        required=False,
        max_length=20,
        help_text=_('Numbers restart with each term, e.g. "XVII".'),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    issued_on = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET)
    signs_as = forms.ChoiceField(
        label=_("Signed by"),
        choices=[("head", _("The head")), ("deputy", _("A deputy, on the head's behalf"))],
        initial="head",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    signer_name = forms.CharField(
        label=_("Signer"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods_offered()
        # Choosing another period reloads the narrative gathered for it.
        self.fields["period"].widget.attrs.update(
            {
                "class": "form-select",
                "hx-get": "",
                "hx-trigger": "change",
                "hx-select": "#rollup-narratives",
                "hx-target": "#rollup-narratives",
                "hx-swap": "outerHTML",
            }
        )
        for key, label in NARRATIVE_SECTIONS:
            self.fields[f"text_{key}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
            )

    @staticmethod
    def initial_from(draft: RollupDraft) -> dict:
        """The form's starting values from a draft (reports/drafting.py)."""
        return {
            "period": draft.period.pk if draft.period else None,
            "term": draft.term,
            "place": draft.place,
            "issued_on": draft.issued_on,
            "signs_as": "head",
            "recipients": "\n".join(draft.recipients),
            **{f"text_{key}": text for key, text in draft.texts.items()},
        }

    def narrative_fields(self) -> list:
        return [self[f"text_{key}"] for key, _label in NARRATIVE_SECTIONS]

    def particulars_fields(self) -> list:
        return [f for f in self if not f.name.startswith("text_")]

    def narrative_text(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"text_{key}"] for key, _label in NARRATIVE_SECTIONS}


class ReportRequestForm(LimitedFormMixin, forms.ModelForm):
    class Meta:
        model = ReportRequest
        fields = [
            "title", "period", "units", "directives", "content", "recipient", "delivery",
            "deadline", "frequency", "data_cutoff_on", "outline", "data_forms",
        ]  # fmt: skip
        widgets = {
            "deadline": DATE_WIDGET,
            "data_cutoff_on": DATE_WIDGET,
            "content": forms.Textarea(attrs={"rows": 3}),
            "outline": forms.Textarea(attrs={"rows": 4}),
            "data_forms": forms.Textarea(attrs={"rows": 2}),
            "units": forms.SelectMultiple(attrs={"size": 8}),
            "directives": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.visible_to(user).active()
        self.fields["directives"].queryset = Directive.objects.visible_to(user)
        self.fields["deadline"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class UnitReportForm(LimitedFormMixin, forms.ModelForm):
    """The narrative under the five headings, and one field per indicator row
    (``indicator_<assignment id>``: the rows of a report not yet saved have no id)."""

    class Meta:
        model = UnitReport
        fields = [key for key, _label in NARRATIVE_SECTIONS]
        widgets = {
            key: forms.Textarea(attrs={"rows": 5, "class": "form-control"})
            for key, _label in NARRATIVE_SECTIONS
        }

    def __init__(self, *args, indicators: list[UnitReportIndicator], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in self.indicators:
            task = indicator.assignment.task
            self.fields[f"indicator_{indicator.assignment_id}"] = forms.DecimalField(
                label=f"{task.directive.code} – {task.target_indicator or task.title}"
                + (f" ({task.target_unit})" if task.target_unit else ""),
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=indicator.value,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )

    def indicator_values(self) -> dict:
        """The values typed, by assignment id."""
        return {
            i.assignment_id: self.cleaned_data.get(f"indicator_{i.assignment_id}")
            for i in self.indicators
        }


# The unit leader approves a report staff sent, or returns it with a comment: the decision
# form of the review queue.
UNIT_REPORT_APPROVAL = {
    "choices": [("approve", _("Approve")), ("return", _("Return"))],
    "why_no": _("Say why the report is returned."),
}
