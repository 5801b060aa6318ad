"""Writes of the reports app and their rules: periods, numbering, roll-ups, report
requests and unit reports. Reads are in selectors.py, the figures in aggregates.py."""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.db_router import replica_reads
from directives.models import Directive
from directives.status import local_today
from notifications.api import absolute_url, emit_rollup_ready, notify
from reports import aggregates as agg
from reports.drafting import DEFAULT_RECIPIENTS, issuer_for, narratives_gather, signature_lines
from reports.models import (
    NARRATIVE_SECTIONS,
    PeriodKind,
    ReportingPeriod,
    ReportNumberCounter,
    ReportRequest,
    RollupReport,
    RollupStatus,
    UnitReport,
    UnitReportIndicator,
    UnitReportStatus,
)
from reports.rollup_outbox import rollup_enqueue
from reports.selectors import (
    can_edit_unit_report,
    committee_leaders,
    header_lines,
    issuer_abbreviation,
    latest_term,
    place_of,
    rollup_stuck_q,
    unit_report_indicators_prefill,
    unit_report_prefill,
)
from units.models import Role, Unit, User

log = logging.getLogger(__name__)

# Overdue rows kept in a roll-up; a longer list is cut and says so.
ROLLUP_OVERDUE_LIMIT = 500


# --- Periods ----------------------------------------------------------------------------

ROMAN = ["I", "II", "III", "IV"]


def period_bounds(kind: str, year: int, index: int = 1) -> tuple[datetime.date, datetime.date, str]:
    """(start, end, Vietnamese label) of a standard period: month ``index`` or quarter
    ``index`` of ``year``, a half-year, or the year."""
    if kind == PeriodKind.MONTH:
        last = calendar.monthrange(year, index)[1]
        return (
            datetime.date(year, index, 1),
            datetime.date(year, index, last),
            f"Tháng {index:02d}/{year}",
        )
    if kind == PeriodKind.QUARTER:
        first = 3 * (index - 1) + 1
        last = calendar.monthrange(year, first + 2)[1]
        return (
            datetime.date(year, first, 1),
            datetime.date(year, first + 2, last),
            f"Quý {ROMAN[index - 1]}/{year}",
        )
    if kind == PeriodKind.FIRST_HALF:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30), f"6 tháng đầu năm {year}"
    if kind == PeriodKind.SECOND_HALF:
        return datetime.date(year, 7, 1), datetime.date(year, 12, 31), f"6 tháng cuối năm {year}"
    if kind == PeriodKind.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"Năm {year}"
    raise ValueError(f"No standard bounds for {kind!r}")


@transaction.atomic
def reporting_periods_ensure(*, year: int, months: bool = False) -> list[ReportingPeriod]:
    """The standard periods of ``year`` (quarters, halves, the year; months on request),
    created when missing; safe to run again."""
    wanted = [(PeriodKind.QUARTER, q) for q in range(1, 5)]
    wanted += [(PeriodKind.FIRST_HALF, 1), (PeriodKind.SECOND_HALF, 1), (PeriodKind.YEAR, 1)]
    if months:
        wanted += [(PeriodKind.MONTH, m) for m in range(1, 13)]
    result = []
    for kind, index in wanted:
        start, end, label = period_bounds(kind, year, index)
        period, _created = ReportingPeriod.objects.get_or_create(
            kind=kind,
            start_on=start,
            end_on=end,
            directive=None,
            defaults={"label": label},
        )
        result.append(period)
    return result


# --- Numbering --------------------------------------------------------------------------


@transaction.atomic
def report_number_allocate(*, issuer: Unit, doc_kind: str = "BC", term: str = "") -> int:
    """The next number for ``issuer``'s documents of ``doc_kind`` in committee ``term``.

    1. make sure the counter row exists (INSERT ... ON CONFLICT DO NOTHING, so two first
       reports at once do not collide);
    2. lock it (SELECT ... FOR UPDATE): a second caller waits for the first to commit;
    3. increment and return. The unique constraint on roll-ups is the last safeguard.
    """
    ReportNumberCounter.objects.bulk_create(
        [ReportNumberCounter(issuer=issuer, doc_kind=doc_kind, term=term)], ignore_conflicts=True
    )
    counter = ReportNumberCounter.objects.select_for_update().get(
        issuer=issuer, doc_kind=doc_kind, term=term
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


# --- Roll-up reports --------------------------------------------------------------------


@transaction.atomic
def rollup_create(
    *,
    by: User | None,
    committee: Unit,
    period: ReportingPeriod,
    issuer: Unit | None = None,
    subject: str = "",
    term: str | None = None,
    place: str | None = None,
    issued_on: datetime.date | None = None,
    signer_on_behalf: str | None = None,
    signer_title: str | None = None,
    signer_name: str = "",
    recipients: Iterable[str] = (),
    narrative_text: dict[str, str] | None = None,
    build: bool = True,
) -> RollupReport:
    """Number a new roll-up for ``committee`` and ``period`` and queue its build.

    ``by`` is None for the scheduled build. A person must be a monitor or administrator
    whose scope holds the committee. The issuing body defaults to the person's unit (their
    Ban Dân vận) when it is in the committee, else the committee itself; the signature
    lines default to the issuer's (see reports/drafting.py). ``narrative_text`` is the
    narrative as the monitor edited it, by heading: what the document says.
    """
    if by is not None:
        if not by.has_perm("reports.create_rollup", committee):
            raise PermissionDenied
    issuer = issuer or issuer_for(committee=committee, by=by)
    term = latest_term(committee) if term is None else term.strip()
    number = report_number_allocate(issuer=issuer, doc_kind="BC", term=term)
    parent_line, issuer_line = header_lines(committee=committee, issuer=issuer)
    default_on_behalf, default_title = signature_lines(issuer)
    texts = {
        key: (narrative_text or {}).get(key, "").strip()
        for key, _label in NARRATIVE_SECTIONS
        if narrative_text is not None
    }
    report = RollupReport.objects.create(
        committee=committee,
        issuer=issuer,
        period=period,
        doc_kind="BC",
        term=term,
        number=number,
        code=f"{number}-BC/{issuer_abbreviation(issuer)}",
        subject=subject.strip()
        or f"tổng hợp kết quả thực hiện các văn bản chỉ đạo {period.label[:1].lower()}"
        f"{period.label[1:]}",
        place=place if place is not None else place_of(committee),
        issued_on=issued_on or local_today(),
        header_parent=parent_line,
        header_issuer=issuer_line,
        signer_on_behalf=default_on_behalf if signer_on_behalf is None else signer_on_behalf,
        signer_title=default_title if signer_title is None else signer_title,
        signer_name=signer_name,
        recipients=[r.strip() for r in recipients if r.strip()] or list(DEFAULT_RECIPIENTS),
        narrative_text=texts,
        requested_by=by,
    )
    if build:
        rollup_enqueue(report=report)
    return report


def rollup_create_from_form(
    *, by: User | None, committee: Unit, data: dict, texts: dict[str, str]
) -> RollupReport:
    """The roll-up the form describes (the page and ``manage.py build_rollup`` both):
    ``data`` the form's cleaned values, ``texts`` its narrative by heading."""
    issuer = issuer_for(committee=committee, by=by)
    on_behalf, title = signature_lines(issuer, deputy=data.get("signs_as") == "deputy")
    return rollup_create(
        by=by,
        committee=committee,
        period=data["period"],
        issuer=issuer,
        subject=data.get("subject") or "",
        term=data.get("term"),
        place=data.get("place") or None,
        issued_on=data.get("issued_on"),
        signer_on_behalf=on_behalf,
        signer_title=title,
        signer_name=data.get("signer_name") or "",
        recipients=(data.get("recipients") or "").splitlines(),
        narrative_text=texts,
        build=data.get("build", True),
    )


def rollup_rebuild(*, report: RollupReport, by: User) -> RollupReport:
    """Build again (e.g. after a failure, when units submitted late, or when the build is
    stuck); the number stays."""
    if not by.has_perm("reports.rebuild_rollup", report):
        raise PermissionDenied
    with transaction.atomic():
        changed = (
            RollupReport.objects.filter(pk=report.pk)
            .filter(
                Q(status__in=[RollupStatus.READY, RollupStatus.FAILED])
                | rollup_stuck_q(timezone.now())
            )
            .update(status=RollupStatus.PENDING, progress=0, progress_note="", error="")
        )
        if not changed:
            raise ValidationError(_("This report is already being built."))
        report.refresh_from_db()
        rollup_enqueue(report=report)
    return report


def rollup_build(*, report_id: int) -> bool:
    """Compute and store a roll-up's figures and narratives; safe to run twice.

    1. claim the report: only a waiting one is taken, by one worker (a failed one waits
       again after "Build again");
    2. compute the figures step by step, saving the progress the page shows;
    3. gather the narratives; store everything with status "ready";
    4. tell the committee's leaders.
    Returns whether this call built it.
    """
    claimed = RollupReport.objects.filter(pk=report_id, status=RollupStatus.PENDING).update(
        status=RollupStatus.BUILDING,
        progress=5,
        progress_note="start",
        error="",
        build_started_at=timezone.now(),
    )
    if not claimed:
        return False
    report = RollupReport.objects.select_related("committee", "period").get(pk=report_id)

    def on_step(percent: int, note: str) -> None:
        RollupReport.objects.filter(pk=report_id).update(progress=percent, progress_note=note)

    try:
        period = report.period
        today = local_today()
        s = agg.Slice(
            path=report.committee.path,
            as_of=min(period.end_on, today) if period.start_on <= today else period.end_on,
            start=period.start_on,
        )
        with replica_reads():  # the replica, when there is one (config/db_router.py)
            figures = agg.figures_compute(
                s=s, root=report.committee, overdue_limit=ROLLUP_OVERDUE_LIMIT, on_step=on_step
            )
        on_step(90, "narratives")
        narratives = narratives_gather(committee=report.committee, period=period)
    # Any failure is recorded on the report and shown on its page, never lost in a log.
    except Exception as exc:
        log.exception("Roll-up %s failed", report_id)
        RollupReport.objects.filter(pk=report_id).update(
            status=RollupStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    RollupReport.objects.filter(pk=report_id).update(
        figures=figures,
        narratives=narratives,
        status=RollupStatus.READY,
        progress=100,
        progress_note="done",
        built_at=timezone.now(),
    )
    report.refresh_from_db()
    rollup_deliver(report=report)
    return True


def rollup_deliver(*, report: RollupReport) -> int:
    """Tell the committee's leaders, and whoever asked for it, that the roll-up is ready;
    returns how many were queued."""
    url = absolute_url(reverse("reports:rollup_detail", args=[report.pk]))
    emit_rollup_ready(
        rollup_id=report.pk,
        code=report.code,
        committee_id=report.committee_id,
        committee_path=report.committee.path,
        built_at=report.built_at,
    )
    queued = 0
    recipients = committee_leaders(report.committee)
    requester = report.requested_by
    if requester is not None and requester.is_active and requester not in recipients:
        recipients.append(requester)
    for leader in recipients:
        notify(
            recipient=leader,
            kind="rollup_ready",
            dedup_key=f"rollup-ready:{report.pk}:{leader.pk}",
            subject=_("Roll-up report %(code)s is ready") % {"code": report.code},
            template="reports/email/rollup_ready",
            context={
                "code": report.code,
                "period": report.period.label,
                "committee": report.committee.name,
                "url": url,
                "link": url,
                "reason": _("You asked for this report.")
                if leader.role != Role.VIEWER
                else _("You are a leader of %(committee)s.") % {"committee": report.committee.name},
            },
            about=report,
        )
        queued += 1
    RollupReport.objects.filter(pk=report.pk).update(delivered_at=timezone.now())
    return queued


def rollups_for_ended_periods(*, today: datetime.date | None = None) -> list[RollupReport]:
    """The scheduled job: for every period that ended yesterday, a roll-up for each
    committee that asked its units to report on it (and has none yet)."""
    today = today or local_today()
    ended = today - datetime.timedelta(days=1)
    created = []
    requests = (
        ReportRequest.objects.filter(period__end_on=ended)
        .select_related("committee", "requested_by_unit", "period")
        .order_by("pk")
    )
    seen: set[tuple[int, int]] = set()
    for request in requests:
        key = (request.committee_id, request.period_id)
        if key in seen:
            continue
        seen.add(key)
        if RollupReport.objects.filter(committee=request.committee, period=request.period).exists():
            continue
        created.append(
            rollup_create(
                by=None,
                committee=request.committee,
                period=request.period,
                issuer=request.requested_by_unit,
            )
        )
    return created


# --- Report requests and unit reports ----------------------------------------------------


@transaction.atomic
def report_request_create(
    *,
    by: User,
    committee: Unit,
    period: ReportingPeriod,
    title: str,
    deadline: datetime.date,
    units: Iterable[Unit],
    directives: Iterable[Directive] = (),
    **fields,
) -> ReportRequest:
    """A monitor asks ``units`` of their committee for a report on ``period``."""
    if not by.has_perm("reports.create_report_request", committee):
        raise PermissionDenied
    visible = Unit.objects.visible_to(by)
    units = list(units)
    if visible.filter(pk__in=[u.pk for u in units]).count() != len(units):
        raise PermissionDenied
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    request = ReportRequest(
        title=title.strip(),
        committee=committee,
        requested_by_unit=by.unit or committee,
        period=period,
        deadline=deadline,
        created_by=by,
        **fields,
    )
    request.full_clean(exclude=["created_by"])
    request.save()
    request.units.set(units)
    request.directives.set(list(directives))
    report_request_announce(request=request)
    return request


def report_request_announce(*, request: ReportRequest) -> int:
    """Tell the staff and leaders of every unit asked to report, once each."""
    url = absolute_url(reverse("reports:request_detail", args=[request.pk]))
    people = (
        User.objects.filter(
            unit__in=request.units.all(), is_active=True, role__in=(Role.STAFF, Role.LEADER)
        )
        .select_related("unit")
        .order_by("pk")
    )
    queued = 0
    for person in people:
        notify(
            recipient=person,
            kind="report_request",
            dedup_key=f"report-request:{request.pk}",
            subject=_("Report requested: %(title)s (due %(day)s)")
            % {"title": request.title, "day": request.deadline.strftime("%d/%m/%Y")},
            template="reports/email/request_received",
            context={
                "title": request.title,
                "period": request.period.label,
                "requested_by": request.requested_by_unit.name,
                "deadline": request.deadline,
                "content": request.content,
                "url": url,
                "link": url,
                "reason": _("You receive this because you work at %(unit)s.")
                % {"unit": person.unit},
            },
            about=request,
        )
        queued += 1
    return queued


@transaction.atomic
def unit_report_open(*, request: ReportRequest, unit: Unit, by: User) -> UnitReport:
    """The unit's report for ``request``, created and pre-filled the first time it is
    saved (its page shows the same pre-filled, unsaved, until then)."""
    if not request.units.filter(pk=unit.pk).exists():
        raise PermissionDenied
    if not Unit.objects.visible_to(by).filter(pk=unit.pk).exists():
        raise PermissionDenied
    existing = UnitReport.objects.filter(request=request, unit=unit).first()
    if existing:
        return existing
    if not can_edit_unit_report(by, unit):
        raise PermissionDenied
    report, created = UnitReport.objects.get_or_create(
        request=request,
        unit=unit,
        defaults={**unit_report_prefill(request=request, unit=unit), "updated_by": by},
    )
    if created:
        indicators = unit_report_indicators_prefill(request=request, unit=unit)
        for indicator in indicators:
            indicator.report = report
        UnitReportIndicator.objects.bulk_create(indicators)
    return report


@transaction.atomic
def unit_report_save(
    *, report: UnitReport, by: User, texts: dict[str, str], values: dict[int, Decimal | None]
) -> UnitReport:
    """Store the unit's edits while the report is a draft; ``values`` by assignment id."""
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    if not can_edit_unit_report(by, report.unit):
        raise PermissionDenied
    if report.status != UnitReportStatus.DRAFT:
        raise ValidationError(_("This report has been submitted and can no longer be changed."))
    for key, _label in NARRATIVE_SECTIONS:
        if key in texts:
            setattr(report, key, texts[key].strip())
    report.updated_by = by
    report.save()
    for indicator in report.indicators.all():
        if indicator.assignment_id in values:
            indicator.value = values[indicator.assignment_id]
            indicator.save(update_fields=["value"])
    return report


@transaction.atomic
def unit_report_submit(*, report: UnitReport, by: User) -> UnitReport:
    """The unit leader submits; the report is then final. Where the committee asks
    leaders to approve (``Unit.leader_approval``), a staff member's submission goes to the
    unit leader first (``unit_report_leader_decide``), and the leaders are told."""
    to_leader = by.has_perm("reports.send_unit_report_to_leader", report)
    if not to_leader and not by.has_perm("reports.submit_unit_report", report):
        raise PermissionDenied
    if not report.results.strip():
        raise ValidationError({"results": _("Write the results achieved before submitting.")})
    now = timezone.now()
    if to_leader:
        changed = UnitReport.objects.filter(pk=report.pk, status=UnitReportStatus.DRAFT).update(
            status=UnitReportStatus.AWAITING_LEADER, sent_by=by, sent_at=now
        )
    else:
        changed = UnitReport.objects.filter(pk=report.pk, status=UnitReportStatus.DRAFT).update(
            status=UnitReportStatus.SUBMITTED, submitted_by=by, submitted_at=now
        )
    if not changed:
        raise ValidationError(_("This report has already been submitted."))
    report.refresh_from_db()
    if to_leader:
        _unit_report_tell(
            report=report,
            recipients=User.objects.filter(
                unit_id=report.unit_id, is_active=True, role=Role.LEADER
            ).order_by("pk"),
            kind="unit_report_to_approve",
            key=f"unit-report:{report.pk}:to-approve:{int(now.timestamp())}",
            subject=_("Report to approve: %(task)s") % {"task": report.request.title},
            message=_(
                "%(who)s sent a report that needs your approval before the committee sees it."
            )
            % {"who": by},
        )
    return report


@transaction.atomic
def unit_report_leader_decide(
    *, report: UnitReport, leader: User, approve: bool, comment: str = ""
) -> UnitReport:
    """The unit leader approves a report staff sent (it then reaches the committee,
    submitted by the leader) or returns it with a comment: it is a draft again, with the
    comment shown on it, and whoever sent it is told once."""
    report = UnitReport.objects.select_for_update().select_related("request").get(pk=report.pk)
    if not leader.has_perm("reports.approve_unit_report", report):
        raise PermissionDenied
    if report.status != UnitReportStatus.AWAITING_LEADER:
        raise ValidationError(_("This report has already been reviewed."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say why the report is returned.")})
    now = timezone.now()
    if approve:
        report.status = UnitReportStatus.SUBMITTED
        report.submitted_by = leader
        report.submitted_at = now
        report.leader_comment = ""
        report.save(update_fields=["status", "submitted_by", "submitted_at", "leader_comment"])
        return report
    report.status = UnitReportStatus.DRAFT
    report.leader_comment = comment
    report.returned_at = now
    report.save(update_fields=["status", "leader_comment", "returned_at"])
    if report.sent_by is not None:
        _unit_report_tell(
            report=report,
            recipients=[report.sent_by],
            kind="report_returned",
            key=f"unit-report:{report.pk}:leader-returned:{int(now.timestamp())}",
            subject=_("Report returned by your leader: %(task)s") % {"task": report.request.title},
            message=_("Your report was returned by %(who)s. Please answer it.") % {"who": leader},
            quote=comment,
        )
    return report


def _unit_report_tell(
    *, report: UnitReport, recipients, kind: str, key: str, subject: str, message: str, quote=""
) -> None:
    link = absolute_url(reverse("reports:unit_report", args=[report.request_id]))
    for person in recipients:
        notify(
            recipient=person,
            kind=kind,
            dedup_key=key,
            subject=subject,
            template="email/event",
            context={
                "message": message,
                "quote": quote,
                "directive_label": report.request.title,
                "task_label": report.request.period.label,
                "unit": report.unit,
                "due_on": report.request.deadline,
                "link": link,
                "reason": _("You receive this because you work at %(unit)s.")
                % {"unit": report.unit},
            },
            about=report,
        )
