from __future__ import annotations

from django import forms

from notifications.models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["digest_enabled", "in_app_only"]
        widgets = {
            "digest_enabled": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "in_app_only": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }
