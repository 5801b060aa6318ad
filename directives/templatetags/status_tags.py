"""Status badges: the colour and label of an assignment, task or directive status."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from directives.status import COLOURS, Status, days_overdue

register = template.Library()


@register.filter
def status_colour(value: str) -> str:
    try:
        return COLOURS[Status(value)]
    except ValueError:
        return "grey"


@register.filter
def status_label(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return value


@register.simple_tag
def status_badge(value: str) -> str:
    """<span class="status-badge status-red">Quá hạn</span>"""
    return format_html(
        '<span class="status-badge status-{}" data-status="{}">{}</span>',
        status_colour(value),
        value,
        status_label(value),
    )


@register.filter
def overdue_days(due_on) -> int:
    """{{ assignment.due_on|overdue_days }}: the one count of days overdue (status.py)."""
    return days_overdue(due_on)
