"""Status badges (the colour and label of an assignment, task or directive status) and
progress bars."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


@register.simple_tag
def progress_bar(value: float | None) -> str:
    """The bar of a directive's, task's or assignment's progress in percent, or a dash when
    there is none (a task without a lead unit). A tag rather than an included template:
    a directive's page draws one for each of its hundreds of assignments."""
    if value is None:
        return format_html(
            '<span class="text-muted small" title="{}">—</span>', _("No lead unit assigned yet")
        )
    pct = floatformat(value, "0")
    return format_html(
        '<div class="progress" role="progressbar" aria-label="{}" aria-valuenow="{}"'
        ' aria-valuemin="0" aria-valuemax="100" style="min-width: 5rem; height: 1.1rem"'
        ' data-testid="progress">\n  <div class="progress-bar {}" style="width: {}%">{}%</div>'
        "\n</div>",
        _("Progress"),
        pct,
        "bg-success" if value >= 100 else "",
        pct,
        pct,
    )
