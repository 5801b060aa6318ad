"""Reads for dashboards and reports, always scoped to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from directives.models import Directive
from directives.status import local_today
from reports.aggregates import Slice
from reports.filtersets import DashboardFilterSet, RollupFilterSet
from reports.models import ReportingPeriod, ReportRequest, RollupReport, UnitReport
from units.models import Unit, User


class OutOfScope(Exception):
    """A filter named a unit, directive or period the user may not see (or that does not
    exist): the page answers 404, never someone else's figures."""


@dataclass
class Dashboard:
    slice: Slice
    root: Unit | None
    period: ReportingPeriod | None
    directive: Directive | None
    filterset: DashboardFilterSet
    top: Unit | None = None  # the user's committee: the top of what they may see


def scope_root(user: User) -> Unit | None:
    """The top of what ``user`` sees: their committee (or unit); ``None`` for everything."""
    if user.scope.everything or user.scope.path is None:
        return None
    return Unit.objects.get(path=user.scope.path)


def unit_choices_limit(
    filterset: DashboardFilterSet, *, user: User, top: Unit | None, root: Unit | None
) -> None:
    """The unit drop-down offers a path down the tree, not every unit in scope (twenty
    thousand for the whole country): the user's committee and the units under it, the
    unit shown and its ancestors within scope, and the units directly under it. Any unit in
    scope is still accepted, from a link or a click in the tables."""
    field = filterset.form.fields["unit"]
    visible = Unit.objects.visible_to(user)
    wanted = Q(pk__in=[])
    for unit in (top, root):
        if unit is None:
            wanted |= Q(depth__lte=2)
        else:
            wanted |= Q(path__startswith=unit.path, depth__lte=unit.depth + 1)
    if root is not None:
        wanted |= Q(
            path__in=[root.path[:i] for i in range(Unit.steplen, len(root.path), Unit.steplen)]
        )
    units = visible.filter(wanted).order_by("path").values_list("pk", "name", "depth")
    base = top.depth if top else 1
    field.widget.choices = [("", field.empty_label)] + [
        (pk, "\u2003" * max(0, depth - base) + name) for pk, name, depth in units
    ]


def dashboard_for_user(*, user: User, filters) -> Dashboard:
    """The slice of figures the dashboard shows for ``user`` and the filters.

    1. validate the filters against what the user may see (OutOfScope otherwise);
    2. the root is the chosen unit, else the user's committee;
    3. the figures are as of the period's end, or today while the period runs; without a
       period, the year to date.
    """
    filterset = DashboardFilterSet(filters or None, user=user, queryset=Unit.objects.none())
    if filterset.is_bound and not filterset.is_valid():
        raise OutOfScope(filterset.errors)
    if user.scope.path is None and not user.scope.everything:
        raise OutOfScope("no scope")
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    top = scope_root(user)
    root = data.get("unit") or top
    unit_choices_limit(filterset, user=user, top=top, root=root)
    period = data.get("period")
    directive = data.get("directive")
    today = local_today()
    if period is not None:
        start, as_of = period.start_on, min(period.end_on, today)
        if start > today:
            as_of = period.end_on
    else:
        start, as_of = datetime.date(today.year, 1, 1), today
    s = Slice(
        path=root.path if root else "",
        as_of=as_of,
        start=start,
        directive_id=directive.pk if directive else None,
        kind=data.get("kind") or None,
    )
    return Dashboard(
        slice=s, root=root, period=period, directive=directive, filterset=filterset, top=top
    )


def rollups_for_user(*, user: User, filters=None) -> tuple[QuerySet, RollupFilterSet]:
    queryset = (
        RollupReport.objects.filter(user.scope.q("committee__"))
        .select_related("committee", "issuer", "period")
        .defer("figures", "narratives")
    )
    filterset = RollupFilterSet(filters or None, queryset=queryset)
    return filterset.qs, filterset


def rollup_for_user(*, user: User, pk: int) -> RollupReport:
    """The roll-up, or RollupReport.DoesNotExist when its committee is outside the scope."""
    return (
        RollupReport.objects.filter(user.scope.q("committee__"))
        .select_related("committee", "issuer", "period")
        .get(pk=pk)
    )


def report_requests_for_user(*, user: User) -> QuerySet[ReportRequest]:
    """Requests for the user's committee subtree, and requests addressed to their unit."""
    q = user.scope.q("committee__")
    if user.unit_id and not user.scope.everything:
        q |= Q(units=user.unit_id)
    return (
        ReportRequest.objects.filter(q)
        .distinct()
        .select_related("period", "committee", "requested_by_unit")
    )


def report_request_for_user(*, user: User, pk: int) -> ReportRequest:
    return report_requests_for_user(user=user).get(pk=pk)


def unit_reports_for_user(*, user: User) -> QuerySet[UnitReport]:
    return UnitReport.objects.filter(user.scope.q("unit__")).select_related(
        "unit", "request__period"
    )


def report_requests_pending_for_unit(*, unit: Unit) -> QuerySet[ReportRequest]:
    """Requests addressed to ``unit`` it has not yet submitted: what the daily digest lists."""
    return (
        ReportRequest.objects.filter(units=unit)
        .exclude(unit_reports__unit=unit, unit_reports__status="submitted")
        .select_related("period")
        .order_by("deadline")
    )


def slice_assignments(*, s: Slice) -> QuerySet:
    """The assignments a slice counts, with ``st`` their status on ``s.as_of``, most urgent
    first: the rows under a drill-down."""
    from django.db.models import Case, IntegerField, Value, When

    from directives.status import URGENCY
    from reports.aggregates import assignments_in, with_status_as_of

    order = Case(
        *[When(st=status.value, then=Value(i)) for i, status in enumerate(URGENCY)],
        output_field=IntegerField(),
    )
    return (
        with_status_as_of(assignments_in(s), s.as_of)
        .annotate(status_as_of=F("st"), urgency=order)
        .select_related("unit", "task")
        .order_by("urgency", "due_on", "unit__path", "pk")
    )
