"""Formatting of stored figures: ISO dates, rates, changes, links to assignments."""

from __future__ import annotations

import datetime

from django import template
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch, reverse

from directives.models import DirectiveKind
from directives.naming import directive_label
from reports.models import TRACKER_COLOURS, TrackerStatus

register = template.Library()


@register.filter
def isodate(value: str | None) -> datetime.date | None:
    """ "2025-02-05" → a date, for ``|date:"SHORT_DATE_FORMAT"`` on stored figures."""
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def rate(value: float | None) -> str:
    """85.7 → "85,7 %" in Vietnamese; no rate → "—"."""
    if value is None:
        return "—"
    return f"{floatformat(value, 1)} %"


@register.filter
def signed(value: float | int | None) -> str:
    """+3 / −2 / 0, for changes since the previous period."""
    if value is None:
        return "—"
    text = floatformat(abs(value), -1)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return "0"


@register.filter
def number(value: float | None) -> str:
    """An indicator value with up to two decimals, in the locale's format."""
    if value is None:
        return "—"
    return floatformat(value, "-2g")


@register.filter
def kind_label(value: str) -> str:
    try:
        return DirectiveKind(value).label
    except ValueError:
        return value


@register.simple_tag
def assignment_url(pk: int) -> str:
    """The assignment's page in the progress app (``/work/assignments/<pk>/``)."""
    try:
        return reverse("progress:assignment_detail", args=[pk])
    except NoReverseMatch:
        return f"/work/assignments/{pk}/"


@register.filter
def tracker_colour(value: str) -> str:
    try:
        return TRACKER_COLOURS[TrackerStatus(value)]
    except ValueError:
        return "grey"


@register.filter
def tracker_label(value: str) -> str:
    try:
        return TrackerStatus(value).label
    except ValueError:
        return value


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key) if mapping else None


@register.filter
def directive_name(directive) -> str:
    """A Directive as every page names it (see directives/naming.py)."""
    if directive is None:
        return ""
    return directive_label(
        code=directive.code,
        kind=directive.kind,
        issued_on=directive.issued_on,
        subject=directive.subject,
        confidential=directive.confidential,
    )
