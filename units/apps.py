from __future__ import annotations

from django.apps import AppConfig
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

# Text in these apps is stored NFC-normalised, whatever form it was typed or pasted in.
NFC_APPS = {"units", "directives", "reports", "notifications"}


def normalise_text_fields(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    from units.text import nfc

    if sender._meta.app_label not in NFC_APPS:
        return
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, str):
            setattr(instance, field.attname, nfc(value))
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            setattr(instance, field.attname, [nfc(v) for v in value])


class UnitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "units"
    verbose_name = _("Units and users")

    def ready(self) -> None:
        pre_save.connect(normalise_text_fields, dispatch_uid="units.normalise_text_fields")
