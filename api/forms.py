"""Forms of the integration pages: a new API key, a new webhook."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from api.services import SERVICE_ROLES
from config.validation import LimitedFormMixin
from config.widgets import QuickSelect
from notifications.models import WebhookEvent
from units.models import Role, Unit, User

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"}
)
TEXT = {"class": "form-control"}


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return "— " * (obj.depth - 1) + obj.name


class ApiKeyForm(LimitedFormMixin, forms.Form):
    """Who the key acts as: a person (by user name) or a new service account at a unit."""

    OWNER_USER = "user"
    OWNER_SERVICE = "service"

    name = forms.CharField(
        label=_("Key name"),
        max_length=120,
        help_text=_('What the key is for, e.g. "E-office system of the Provincial Committee".'),
        widget=forms.TextInput(attrs=TEXT),
    )
    owner_kind = forms.ChoiceField(
        label=_("The key acts as"),
        choices=[
            (OWNER_SERVICE, _("A new service account bound to a unit")),
            (OWNER_USER, _("An existing user")),
        ],
        initial=OWNER_SERVICE,
        widget=forms.RadioSelect,
    )
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        required=False,
        help_text=_("For an existing user: the key sees exactly what this user sees."),
        widget=forms.TextInput(attrs=TEXT),
    )
    unit = UnitChoiceField(
        label=_("Unit of the service account"),
        queryset=Unit.objects.none(),
        required=False,
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    role = forms.ChoiceField(
        label=_("Role of the service account"),
        choices=[(r.value, r.label) for r in SERVICE_ROLES],
        initial=Role.STAFF,
        required=False,
        help_text=_("The key sees what a person with this role at this unit sees."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Leave blank for a key without an expiry date."),
        widget=DATE_WIDGET,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("path")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner_kind") == self.OWNER_USER:
            username = (cleaned.get("username") or "").strip()
            user = User.objects.filter(username=username, is_active=True).first()
            if not username:
                self.add_error("username", _("Enter the user name of the key's owner."))
            elif user is None:
                self.add_error("username", _("No active user has this user name."))
            else:
                cleaned["owner"] = user
        elif cleaned.get("owner_kind") == self.OWNER_SERVICE:
            if cleaned.get("unit") is None:
                self.add_error("unit", _("Choose the unit of the service account."))
            if not cleaned.get("role"):
                self.add_error("role", _("Choose the role of the service account."))
        return cleaned


class WebhookForm(LimitedFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, widget=forms.TextInput(attrs=TEXT))
    url = forms.CharField(
        label=_("Receiving URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The address of the other system that receives the POST requests."),
        widget=forms.URLInput(attrs=TEXT),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    unit = UnitChoiceField(
        label=_("Only events of this unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave blank for events of every unit."),
        widget=QuickSelect(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("path")
