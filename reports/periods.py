"""Which reporting periods a person is offered, and which one a roll-up is made for by
default."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from directives.status import local_today
from reports.models import ReportingPeriod


def periods_offered(today: datetime.date | None = None) -> QuerySet[ReportingPeriod]:
    """The periods a person may choose: the standard ones up to the current year (next
    year's are not reported on yet) and every directive's review milestones."""
    today = today or local_today()
    return ReportingPeriod.objects.filter(
        Q(directive__isnull=False) | Q(start_on__year__lte=today.year)
    )


def period_running(period: ReportingPeriod, today: datetime.date | None = None) -> bool:
    today = today or local_today()
    return period.start_on <= today <= period.end_on


def period_choice_label(period: ReportingPeriod, today: datetime.date | None = None) -> str:
    """ "Quý IV/2026 (đang diễn ra)" for a period not yet over, else its label."""
    if period_running(period, today):
        return _("%(label)s (in progress)") % {"label": period.label}
    return period.label


def period_default(today: datetime.date | None = None) -> ReportingPeriod | None:
    """The period a roll-up is made for by default: the latest standard period that has
    ended (the longest of those ending the same day), else the one running now."""
    today = today or local_today()
    standard = periods_offered(today).filter(directive__isnull=True)
    ended = standard.filter(end_on__lt=today).order_by("-end_on", "start_on", "pk").first()
    if ended is not None:
        return ended
    return standard.filter(start_on__lte=today, end_on__gte=today).order_by("start_on").first()
