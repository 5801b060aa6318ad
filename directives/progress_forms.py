"""Forms of the progress pages: what a unit reports, asks and answers, and what the
monitor decides. They check input only; the rules live in directives.services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.validation import LimitedFormMixin
from directives.models import Assignment, ProgressReport
from directives.status import local_today
from directives.uploads import validate_upload

TEXTAREA = {"class": "form-control", "rows": 3}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; each is checked by
    ``validate_upload`` and every refused file is named in its own message."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        errors = []
        cleaned = []
        for upload in uploads:
            upload = super().clean(upload, initial)
            try:
                validate_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
            cleaned.append(upload)
        if errors:
            errors.append(_("Nothing was saved. Please choose the files again."))
            raise ValidationError(errors)
        return cleaned


class ProgressReportForm(LimitedFormMixin, forms.Form):
    """The full progress form; ``QuickProgressForm`` is its one-line version on "Việc của
    tôi". The indicator field exists only when the task has a target."""

    reported_on = forms.DateField(
        label=_("Report date"),
        required=False,  # today when left blank
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}),
    )
    percent = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100}),
    )
    completed = forms.BooleanField(
        label=_("Completed"),
        required=False,
        help_text=_("Tick when the task, or this period's duty, is done."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    results = forms.CharField(
        label=_("Results"), widget=forms.Textarea(attrs={**TEXTAREA, "rows": 4})
    )
    difficulties = forms.CharField(
        label=_("Difficulties and obstacles"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    proposals = forms.CharField(
        label=_("Proposals"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    indicator_value = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"class": "form-control"}),
    )

    keep_attachments = forms.TypedMultipleChoiceField(
        label=_("Files kept from the returned report"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Untick a file to leave it out of this report."),
    )

    def __init__(
        self, *args, assignment: Assignment, answering: ProgressReport | None = None, **kwargs
    ) -> None:
        """``answering``: the returned report this one answers; the new report starts
        from its text and keeps its files unless they are unticked."""
        if answering is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "percent": answering.percent,
                    "completed": answering.completed,
                    "results": answering.results,
                    "difficulties": answering.difficulties,
                    "proposals": answering.proposals,
                    "indicator_value": answering.indicator_value,
                    "keep_attachments": [f.pk for f in answering.attachments.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        kept = list(answering.attachments.order_by("pk")) if answering is not None else []
        if "keep_attachments" in self.fields:
            if kept:
                self.fields["keep_attachments"].choices = [(f.pk, f.original_name) for f in kept]
            else:
                del self.fields["keep_attachments"]
        task = assignment.task
        if "reported_on" in self.fields:
            self.fields["reported_on"].initial = local_today
        if "percent" in self.fields:
            self.fields["percent"].initial = assignment.progress
        if "indicator_value" in self.fields:
            if task.target_indicator or task.target_value is not None:
                label = task.target_indicator or _("Indicator value")
                if task.target_unit:
                    label = f"{label} ({task.target_unit})"
                self.fields["indicator_value"].label = label
            else:
                del self.fields["indicator_value"]
        if "attachments" in self.fields:
            self.fields["attachments"].help_text = _(
                "PDF, Word, Excel, images or ZIP; at most %(size)d MB each."
            ) % {"size": settings.MAX_UPLOAD_MB}

    def clean_reported_on(self):
        day = self.cleaned_data["reported_on"] or local_today()
        if day > local_today():
            raise ValidationError(_("The report date cannot be in the future."))
        return day

    def service_kwargs(self) -> dict:
        """The cleaned values as ``assignment_submit_progress`` takes them."""
        data = self.cleaned_data
        return {
            "reported_on": data.get("reported_on") or local_today(),
            "percent": data["percent"],
            "completed": data.get("completed", False),
            "results": data["results"].strip(),
            "difficulties": data.get("difficulties", "").strip(),
            "proposals": data.get("proposals", "").strip(),
            "indicator_value": data.get("indicator_value"),
            "files": data.get("attachments") or [],
            "carried_attachment_ids": data.get("keep_attachments") or [],
        }


class QuickProgressForm(ProgressReportForm):
    """Percent, completed and results, entered on the row of "Việc của tôi"."""

    QUICK_FIELDS = ("percent", "completed", "results")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.QUICK_FIELDS:
                del self.fields[name]
        self.fields["results"].widget.attrs["rows"] = 2


class DecisionForm(LimitedFormMixin, forms.Form):
    """The monitor's yes or no on what a unit sent, with a comment that a no must have.

    ``choices`` is ((yes, label), (no, label)) and ``why_no`` the message when a no comes
    without its reason: `REPORT_DECISION` and `EXTENSION_DECISION` give both.
    """

    decision = forms.ChoiceField()
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, choices, why_no: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
        (self.yes, _yes_label), (self.no, _no_label) = choices
        self.why_no = why_no

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.no and not data.get("comment", "").strip():
            self.add_error("comment", self.why_no)
        return data

    @property
    def says_yes(self) -> bool:
        return self.cleaned_data["decision"] == self.yes


# A report is accepted, or returned with a comment.
REPORT_DECISION = {
    "choices": [("accept", _("Accept")), ("return", _("Return"))],
    "why_no": _("Say why the report is returned."),
}
EXTENSION_DECISION = {
    "choices": [("approve", _("Approve")), ("refuse", _("Refuse"))],
    "why_no": _("Say why the request is refused."),
}


class ExtensionRequestForm(LimitedFormMixin, forms.Form):
    proposed_due_on = forms.DateField(
        label=_("Proposed due date"),
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )

    def __init__(self, *args, assignment: Assignment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.assignment = assignment

    def clean_proposed_due_on(self):
        day = self.cleaned_data["proposed_due_on"]
        due = self.assignment.due_on
        if due is not None and day <= due:
            raise ValidationError(_("The proposed date must be later than the current due date."))
        return day


class ExplanationRequestForm(LimitedFormMixin, forms.Form):
    message = forms.CharField(
        label=_("What should be explained"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class ExplanationAnswerForm(LimitedFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
