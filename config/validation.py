"""Limits every form applies before the database sees a value.

A date outside 1930–2100 is a typing mistake (or a probe), and a year past 9999 cannot
even be stored; a text without a limit is one paste away from a 500. ``harden_form`` gives
every field of a form the limits here; the forms call it from ``__init__`` through
``LimitedFormMixin``.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = datetime.date(1930, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
# A narrative, a comment, a task's description: far longer than any real one.
TEXT_LIMIT = 20_000
# The full text of a directive (a long plan is about 100,000 characters).
FULL_TEXT_LIMIT = 2_000_000
FULL_TEXT_FIELDS = {"full_text"}
# One line of a list such as "Nơi nhận" (the database keeps at most 300 per line).
LINE_LIMIT = 300
LINE_FIELDS = {"recipients"}


def validate_date_in_range(value: datetime.date | None) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={
                "earliest": EARLIEST_DATE.strftime("%d/%m/%Y"),
                "latest": LATEST_DATE.strftime("%d/%m/%Y"),
            },
        )


def validate_lines(value: str | list | None) -> None:
    lines = value if isinstance(value, list) else (value or "").splitlines()
    for line in lines:
        if len(line) > LINE_LIMIT:
            raise ValidationError(
                _("Each line may have at most %(limit)d characters; one has %(length)d."),
                code="line_too_long",
                params={"limit": LINE_LIMIT, "length": len(line)},
            )


def _limit_text(name: str, field: forms.CharField) -> None:
    limit = FULL_TEXT_LIMIT if name in FULL_TEXT_FIELDS else TEXT_LIMIT
    if field.max_length is None:
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
        field.widget.attrs["maxlength"] = str(limit)


def harden_form(form: forms.BaseForm) -> None:
    """Give every date field the sane range and every text field a length limit."""
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            if validate_date_in_range not in field.validators:
                field.validators.append(validate_date_in_range)
        elif isinstance(field, forms.CharField):
            _limit_text(name, field)
            if name in LINE_FIELDS and validate_lines not in field.validators:
                field.validators.append(validate_lines)


class LimitedFormMixin:
    """Put first in a form's bases: its fields get ``harden_form``'s limits."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        harden_form(self)
