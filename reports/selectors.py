"""Reads of the reports app: dashboards, roll-ups, report requests and unit reports,
scoped to what the user may see; the parts of a roll-up's header; what a unit's report is
pre-filled with; the reports units still owe, for their morning digest. The figures
themselves are in aggregates.py."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directives.models import Assignment, Directive, ProgressReport, ReportStatus
from directives.status import local_today, urgency_rank
from notifications.api import DigestEntry, absolute_url
from reports.aggregates import Slice, assignments_in, with_status_as_of
from reports.filtersets import DashboardFilterSet, RollupFilterSet
from reports.models import (
    ReportingPeriod,
    ReportRequest,
    RollupReport,
    RollupStatus,
    TrackerStatus,
    UnitReport,
    UnitReportIndicator,
    UnitReportStatus,
)
from units.models import Role, Unit, UnitKind, User
from units.text import fold


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


# The build task's hard time limit (reports/tasks.py): a build started longer ago than this
# has lost its worker.
ROLLUP_BUILD_TIME_LIMIT = 600


def rollup_stuck_q(now: datetime.datetime) -> Q:
    """Reports whose build is stuck: waiting longer than ROLLUP_RESEND_AFTER_SECONDS since
    it was asked for or last handed over, or building longer than the task may run."""
    resend_after = now - datetime.timedelta(seconds=settings.ROLLUP_RESEND_AFTER_SECONDS)
    build_limit = now - datetime.timedelta(seconds=ROLLUP_BUILD_TIME_LIMIT + 60)
    waiting = Q(status=RollupStatus.PENDING) & (
        Q(handed_at__lt=resend_after)
        | Q(handed_at__isnull=True, queued_at__lt=resend_after)
        | Q(queued_at__isnull=True, created_at__lt=resend_after)
    )
    return (
        waiting
        | Q(status=RollupStatus.BUILDING, build_started_at__lt=build_limit)
        | Q(status=RollupStatus.BUILDING, build_started_at__isnull=True, created_at__lt=build_limit)
    )


def rollup_is_stuck(report: RollupReport) -> bool:
    """Whether "Build again" may take over this report's waiting or running build."""
    return RollupReport.objects.filter(pk=report.pk).filter(rollup_stuck_q(timezone.now())).exists()


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


def slice_assignments(*, s: Slice) -> QuerySet:
    """The assignments a slice counts, with ``st`` their status on ``s.as_of``, most urgent
    first: the rows under a drill-down."""
    return (
        with_status_as_of(assignments_in(s), s.as_of)
        .annotate(status_as_of=F("st"), urgency=urgency_rank("st"))
        .select_related("unit", "task__directive")
        .order_by("urgency", "due_on", "unit__path", "pk")
    )


def user_committee(*, user: User) -> Unit | None:
    """The committee a user's roll-ups and report requests are for: the top of what they
    see, or (for an administrator, who sees everything) their own unit's committee."""
    root = scope_root(user)
    if root is None and user.unit is not None:
        root = user.unit.committee()
    return root


# --- A roll-up's header -----------------------------------------------------------------

_COMMITTEE_WORDS = re.compile(
    r"^(Tỉnh ủy|Thành ủy|Thị ủy|Huyện ủy|Quận ủy|Đảng ủy (?:xã|phường|thị trấn)?)\s*", re.I
)


def issuer_abbreviation(unit: Unit) -> str:
    """ "BDVTU" from the unit's abbreviation, else the initials of its name."""
    if unit.abbreviation:
        return unit.abbreviation
    return "".join(word[0] for word in fold(unit.name).split() if word).upper()


def header_lines(*, committee: Unit, issuer: Unit) -> tuple[str, str]:
    """The two lines of the top-left header: "TỈNH ỦY HẢI DƯƠNG" and "BAN DÂN VẬN"."""
    parent = committee.name.upper()
    name = issuer.name
    kind_word = _COMMITTEE_WORDS.match(committee.name)
    # "Ban Dân vận Tỉnh ủy Hải Dương" and "Ban Dân vận Tỉnh ủy" are both "BAN DÂN VẬN".
    for suffix in (committee.name, kind_word.group(1) if kind_word else None):
        if suffix and issuer.pk != committee.pk and name.endswith(suffix):
            name = name[: -len(suffix)].strip()
            break
    return parent, ("" if issuer.pk == committee.pk else name.upper())


def place_of(committee: Unit) -> str:
    """ "Hải Dương" from "Tỉnh ủy Hải Dương"."""
    return _COMMITTEE_WORDS.sub("", committee.name).strip() or committee.name


def latest_term(committee: Unit) -> str:
    """The committee term of the latest directive issued in the subtree ("XVII")."""
    return (
        Directive.objects.filter(issuer__path__startswith=committee.path)
        .exclude(term="")
        .order_by("-issued_on")
        .values_list("term", flat=True)
        .first()
        or ""
    )


def committee_leaders(committee: Unit) -> list[User]:
    """The committee's leader viewers: in the committee itself or one of its boards."""
    return list(
        User.objects.filter(is_active=True, role=Role.VIEWER)
        .filter(
            Q(unit=committee)
            | Q(
                unit__path__startswith=committee.path,
                unit__depth=committee.depth + 1,
                unit__kind=UnitKind.PARTY_BOARD,
            )
        )
        .exclude(email="")
    )


# --- Report requests and unit reports ---------------------------------------------------


def request_tracker(request: ReportRequest, today: datetime.date) -> list[dict]:
    """For each unit a report request asks: submitted (on or before the deadline, by the
    local date of submission), submitted late, not submitted, or not submitted with the
    deadline passed (``today`` after the deadline). One query."""
    missing = TrackerStatus.OVERDUE if today > request.deadline else TrackerStatus.NOT_SUBMITTED
    rows = (
        request.units.annotate(
            answer=FilteredRelation("unit_reports", condition=Q(unit_reports__request=request))
        )
        .annotate(
            submitted_on=TruncDate("answer__submitted_at"),
            answer_status=F("answer__status"),
            answer_id=F("answer__pk"),
        )
        .annotate(
            tracker=Case(
                When(
                    Q(answer_status="submitted", submitted_on__lte=request.deadline),
                    then=Value(TrackerStatus.SUBMITTED.value),
                ),
                When(answer_status="submitted", then=Value(TrackerStatus.LATE.value)),
                default=Value(missing.value),
                output_field=CharField(),
            )
        )
        .order_by("path")
        .values("pk", "name", "tracker", "submitted_on", "answer_id")
    )
    return list(rows)


def can_edit_unit_report(user: User, unit: Unit) -> bool:
    """Staff and leaders of a unit in the user's scope write its reports
    (``reports.edit_unit_report`` in access/permissions.py)."""
    return user.has_perm("reports.edit_unit_report", unit)


def unit_report_assignments(request: ReportRequest, unit: Unit) -> QuerySet[Assignment]:
    """The unit's assignments a request is about: all of them, or those of its directives."""
    qs = Assignment.objects.filter(unit=unit, cancelled=False)
    directive_ids = list(request.directives.values_list("pk", flat=True))
    if directive_ids:
        qs = qs.filter(task__directive_id__in=directive_ids)
    return qs


def unit_report_prefill(*, request: ReportRequest, unit: Unit) -> dict:
    """What the unit's accepted progress reports of the period say, one line per task."""
    period = request.period
    reports = (
        ProgressReport.objects.filter(
            assignment__in=unit_report_assignments(request, unit),
            status=ReportStatus.ACCEPTED,
            reported_on__gte=period.start_on,
            reported_on__lte=period.end_on,
        )
        .select_related("assignment__task__directive")
        .order_by(
            "assignment__task__directive__issued_on", "assignment__task__order", "reported_on"
        )
    )
    lines: dict[str, list[str]] = {"results": [], "limitations": [], "proposals": []}
    for report in reports:
        task = report.assignment.task
        label = f"{task.directive.code} – {task}".strip()
        lines["results"].append(f"- {label}: {report.results.strip()}")
        if report.difficulties.strip():
            lines["limitations"].append(f"- {label}: {report.difficulties.strip()}")
        if report.proposals.strip():
            lines["proposals"].append(f"- {label}: {report.proposals.strip()}")
    return {key: "\n".join(value) for key, value in lines.items()}


def unit_report_indicators_prefill(
    *, request: ReportRequest, unit: Unit
) -> list[UnitReportIndicator]:
    """Unsaved indicator rows for the unit's tasks with a target, each holding the latest
    value the unit reported (accepted, by the period's end)."""
    latest = (
        ProgressReport.objects.filter(
            assignment=OuterRef("pk"),
            status=ReportStatus.ACCEPTED,
            indicator_value__isnull=False,
            reported_on__lte=request.period.end_on,
        )
        .order_by("-reported_on", "-pk")
        .values("indicator_value")[:1]
    )
    with_targets = (
        unit_report_assignments(request, unit)
        .filter(task__target_value__isnull=False)
        .annotate(latest=Subquery(latest))
        .select_related("task__directive")
        .order_by("pk")
    )
    return [UnitReportIndicator(assignment=a, value=a.latest) for a in with_targets]


def unit_report_draft(
    *, request: ReportRequest, unit: Unit, user: User
) -> tuple[UnitReport, list[UnitReportIndicator]]:
    """The unit's report for ``request`` and its indicator rows, as its page shows them:
    the stored one, or (before anyone saved it) an unsaved one pre-filled from the unit's
    progress reports. Reads only; PermissionDenied when the request does not ask the unit,
    the unit is outside the user's scope, or there is nothing yet and the user may not
    write it."""
    if not request.units.filter(pk=unit.pk).exists():
        raise PermissionDenied
    if not Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    report = UnitReport.objects.filter(request=request, unit=unit).first()
    if report is not None:
        return report, list(report.indicators.select_related("assignment__task__directive"))
    if not can_edit_unit_report(user, unit):
        raise PermissionDenied
    report = UnitReport(
        request=request, unit=unit, **unit_report_prefill(request=request, unit=unit)
    )
    return report, unit_report_indicators_prefill(request=request, unit=unit)


def reports_owed(horizon: datetime.date) -> list[DigestEntry]:
    """Every report a unit was asked for, has not submitted, and is due by ``horizon``:
    what the units' morning digests list (registered in reports/apps.py). Report requests
    are few (a handful per period and committee), so they are read whole."""
    submitted = set(
        UnitReport.objects.filter(
            status=UnitReportStatus.SUBMITTED, request__deadline__lte=horizon
        ).values_list("request_id", "unit_id")
    )
    pairs = ReportRequest.units.through.objects.filter(
        reportrequest__deadline__lte=horizon
    ).select_related("reportrequest__period")
    return [
        DigestEntry(
            kind="report_request",
            ref_id=pair.reportrequest_id,
            unit_id=pair.unit_id,
            group=f"report_request:{pair.reportrequest_id}",
            group_label=_("Report request: %(title)s") % {"title": pair.reportrequest.title},
            label=f"{pair.reportrequest.title} ({pair.reportrequest.period.label})",
            due_on=pair.reportrequest.deadline,
            url=absolute_url(reverse("reports:unit_report", args=[pair.reportrequest_id])),
        )
        for pair in pairs
        if (pair.reportrequest_id, pair.unit_id) not in submitted
    ]


def requests_awaiting_answers(*, user: User, limit: int = 5) -> list[ReportRequest]:
    """The report requests of the user's unit still waiting for some unit's report, the
    nearest deadline first, each with ``asked`` and ``answered`` counts. One query."""
    if user.unit_id is None:
        return []
    answered = Count(
        "unit_reports", filter=Q(unit_reports__status=UnitReportStatus.SUBMITTED), distinct=True
    )
    return list(
        ReportRequest.objects.filter(requested_by_unit_id=user.unit_id)
        .select_related("period")
        .annotate(asked=Count("units", distinct=True), answered=answered)
        .filter(answered__lt=F("asked"))
        .order_by("deadline", "pk")[:limit]
    )
