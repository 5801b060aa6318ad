"""Forms of the restructuring pages. Each validates what was typed, says what the change
would move (``plan``) and carries it out through the service (``apply``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from config.widgets import QuickSelect
from units.models import Unit, UnitChange, User
from units.selectors import (
    RestructuringPlan,
    units_receivable_by,
    units_restructurable_by,
)
from units.services import (
    NewUnit,
    unit_close,
    unit_close_plan,
    unit_merge,
    unit_merge_plan,
    unit_move,
    unit_move_plan,
    unit_rename,
    unit_split,
    unit_split_plan,
)
from units.text import nfc

DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class RestructureForm(forms.Form):
    """The fields every restructuring has: the date it takes effect and a note."""

    title = ""
    effective_on = forms.DateField(
        label=_("Effective date"),
        widget=forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y"),
        help_text=_("The first day under the new organisation."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the decision that ordered it."),
    )

    def __init__(self, *args, user: User, unit: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.unit = unit
        self.restructurable = units_restructurable_by(user).exclude(pk=unit.pk)
        self.receivable = units_receivable_by(user).exclude(pk=unit.pk)
        self.setup()
        # The note and the date come last on the page.
        self.order_fields([f for f in self.fields if f not in ("effective_on", "note")])
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def setup(self) -> None:
        pass

    @property
    def day(self):
        return self.cleaned_data["effective_on"]

    def plan(self) -> RestructuringPlan:
        return RestructuringPlan()

    def apply(self, *, expected: set[str]) -> None:
        raise NotImplementedError


class RenameForm(RestructureForm):
    title = _("Rename")
    name = forms.CharField(label=_("New name"), max_length=255)
    short_name = forms.CharField(label=_("New short name"), max_length=120, required=False)

    def apply(self, *, expected: set[str]) -> None:
        unit_rename(
            unit=self.unit,
            name=self.cleaned_data["name"],
            short_name=self.cleaned_data["short_name"] or None,
            effective_on=self.day,
            by=self.user,
            note=self.cleaned_data["note"],
        )


class MergeForm(RestructureForm):
    title = _("Merge")
    others = UnitsChoiceField(
        label=_("Other units merged at the same time"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    into = UnitChoiceField(
        label=_("Merge into an existing unit"),
        queryset=Unit.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label="—",
    )
    new_name = forms.CharField(
        label=_("Or into a new unit named"),
        max_length=255,
        required=False,
        help_text=_("Created under the same parent unit, from the effective date."),
    )

    def setup(self) -> None:
        self.fields["others"].queryset = self.restructurable
        self.fields["into"].queryset = self.receivable

    def clean(self):
        cleaned = super().clean()
        into, new_name = cleaned.get("into"), nfc(cleaned.get("new_name") or "").strip()
        if bool(into) == bool(new_name):
            raise forms.ValidationError(
                _("Choose the unit to merge into, or name a new one (not both).")
            )
        if into is not None and into in (cleaned.get("others") or []):
            self.add_error("into", _("The unit merged into cannot also be merged away."))
        cleaned["new_name"] = new_name
        return cleaned

    def sources(self) -> list[Unit]:
        return [self.unit, *self.cleaned_data["others"]]

    def new(self) -> NewUnit | None:
        if not self.cleaned_data["new_name"]:
            return None
        return NewUnit(
            name=self.cleaned_data["new_name"],
            parent=Unit.objects.get_parent(self.unit),
            kind=self.unit.kind,
            level=self.unit.level,
        )

    def target(self) -> Unit:
        return self.cleaned_data["into"] or self.new().preview()

    def plan(self) -> RestructuringPlan:
        return unit_merge_plan(sources=self.sources(), into=self.target(), effective_on=self.day)

    def apply(self, *, expected: set[str]) -> None:
        unit_merge(
            sources=self.sources(),
            into=self.cleaned_data["into"],
            new=self.new(),
            effective_on=self.day,
            by=self.user,
            note=self.cleaned_data["note"],
            expected=expected,
        )


class SplitForm(RestructureForm):
    """Step one names the successors; the preview then asks, for every sub-unit and open
    item, which successor takes it (fields ``to-<key>``)."""

    title = _("Split")
    successors = UnitsChoiceField(
        label=_("Existing units that take part of it"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    new_names = forms.CharField(
        label=_("New units (one name per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Created under the same parent unit, from the effective date."),
    )

    def setup(self) -> None:
        self.fields["successors"].queryset = self.receivable.exclude(
            path__startswith=self.unit.path
        )

    def clean(self):
        cleaned = super().clean()
        names = [nfc(n).strip() for n in (cleaned.get("new_names") or "").splitlines()]
        cleaned["names"] = [n for n in dict.fromkeys(names) if n]
        if len(cleaned.get("successors") or []) + len(cleaned["names"]) < 2:
            raise forms.ValidationError(_("A split needs at least two successor units."))
        return cleaned

    def successor_list(self) -> list[Unit | NewUnit]:
        parent = Unit.objects.get_parent(self.unit)
        return [
            *self.cleaned_data["successors"],
            *(
                NewUnit(name=n, parent=parent, kind=self.unit.kind, level=self.unit.level)
                for n in self.cleaned_data["names"]
            ),
        ]

    def stand_ins(self) -> list[Unit]:
        return [s if isinstance(s, Unit) else s.preview() for s in self.successor_list()]

    def choices(self) -> dict[str, int]:
        """The successor chosen for each item, by index; absent ones are left out."""
        count = len(self.successor_list())
        chosen = {}
        for name, value in self.data.items():
            if name.startswith("to-") and value.isdigit() and int(value) < count:
                chosen[name[3:]] = int(value)
        return chosen

    def plan(self) -> RestructuringPlan:
        return unit_split_plan(
            source=self.unit,
            successors=self.stand_ins(),
            choices=self.choices(),
            effective_on=self.day,
        )

    def apply(self, *, expected: set[str]) -> None:
        unit_split(
            source=self.unit,
            successors=self.successor_list(),
            choices=self.choices(),
            effective_on=self.day,
            by=self.user,
            note=self.cleaned_data["note"],
            expected=expected,
        )


class MoveForm(RestructureForm):
    title = _("Move under another unit")
    parent = UnitChoiceField(
        label=_("New parent unit"), queryset=Unit.objects.none(), widget=QuickSelect
    )

    def setup(self) -> None:
        self.fields["parent"].queryset = self.receivable.exclude(path__startswith=self.unit.path)

    def plan(self) -> RestructuringPlan:
        return unit_move_plan(unit=self.unit, parent=self.cleaned_data["parent"])

    def apply(self, *, expected: set[str]) -> None:
        unit_move(
            unit=self.unit,
            parent=self.cleaned_data["parent"],
            effective_on=self.day,
            by=self.user,
            note=self.cleaned_data["note"],
        )


class CloseForm(RestructureForm):
    title = _("Close")
    successor = UnitChoiceField(
        label=_("Unit that takes over its users and open work"),
        queryset=Unit.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label="—",
        help_text=_("Its sub-units move up to its parent unit."),
    )

    def setup(self) -> None:
        self.fields["successor"].queryset = self.receivable.exclude(path__startswith=self.unit.path)

    def plan(self) -> RestructuringPlan:
        return unit_close_plan(
            unit=self.unit, successor=self.cleaned_data["successor"], effective_on=self.day
        )

    def apply(self, *, expected: set[str]) -> None:
        unit_close(
            unit=self.unit,
            successor=self.cleaned_data["successor"],
            effective_on=self.day,
            by=self.user,
            note=self.cleaned_data["note"],
            expected=expected,
        )


OPERATIONS: dict[str, type[RestructureForm]] = {
    UnitChange.Kind.RENAME: RenameForm,
    UnitChange.Kind.MERGE: MergeForm,
    UnitChange.Kind.SPLIT: SplitForm,
    UnitChange.Kind.MOVE: MoveForm,
    UnitChange.Kind.CLOSE: CloseForm,
}
