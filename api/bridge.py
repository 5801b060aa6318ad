"""How the API's views reach the pages' own rules: objects looked up through the
selectors (404 outside the user's scope), permissions asked of access/permissions.py
(403), and input checked by the pages' forms, whose errors become the API's 400."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.settings import api_settings

T = TypeVar("T")


def found(lookup: Callable[[], T]) -> T:
    """The object ``lookup`` returns; 404 when it does not exist for this user."""
    try:
        return lookup()
    except ObjectDoesNotExist as exc:
        raise NotFound() from exc


def require(user, permission: str, obj=None) -> None:
    """403 unless access/permissions.py allows ``permission`` (on ``obj``)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("You may not do this to this object."))


def form_value(value):
    """One value as a browser would post it: dates ISO, lists of strings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date | int | Decimal):
        return str(value.isoformat() if isinstance(value, datetime.date) else value)
    if isinstance(value, list | tuple):
        return [form_value(v) for v in value]
    return value


def form_data(values: dict, prefix: str = "") -> dict:
    """The validated input as a form's ``data`` (booleans left out when false, as a
    checkbox is)."""
    data = {}
    for key, value in values.items():
        if value is False:
            continue
        data[f"{prefix}{key}"] = form_value(value)
    return data


def form_errors(form, prefix: str = "") -> dict[str, list[str]]:
    """A bound form's errors keyed by field (``non_field_errors`` for the rest)."""
    out: dict[str, list[str]] = {}
    for field, errors in form.errors.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field
        out[f"{prefix}{key}"] = [str(e) for e in errors]
    return out


def check(form, prefix: str = ""):
    """The form's cleaned data, or a 400 naming its fields at fault."""
    if not form.is_valid():
        raise ValidationError(form_errors(form, prefix))
    return form.cleaned_data
