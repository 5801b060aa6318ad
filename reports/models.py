"""Reporting: the periods a committee reports on, the reports it asks its units for, and
the roll-up reports it compiles for its Standing Committee."""

from __future__ import annotations

import datetime

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    FIRST_HALF = "first_half", _("First half-year")
    SECOND_HALF = "second_half", _("Second half-year")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Custom period")
    MILESTONE = "milestone", _("Review milestone")


class ReportingPeriod(models.Model):
    """A span of time a report covers: "6 tháng đầu năm 2024", "Quý III/2024", "năm 2024",
    or a directive's review milestone ("Sơ kết 5 năm thực hiện Kết luận 43-KL/TW").

    Figures are computed as of ``end_on``; the previous period for "change since" is the
    day before ``start_on``.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=PeriodKind.choices)
    label = models.CharField(_("name"), max_length=200, help_text=_('e.g. "6 tháng đầu năm 2024"'))
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"))
    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("directive reviewed"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reporting_periods",
        help_text=_("For a review milestone: the directive under review."),
    )

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-end_on", "start_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")),
                name="reports_period_range",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["kind", "start_on", "end_on"],
                condition=Q(directive__isnull=True),
                name="reports_period_once",
                violation_error_message=_("This period already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def previous_end(self) -> datetime.date:
        return self.start_on - datetime.timedelta(days=1)


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half-yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


class ReportRequest(models.Model):
    """A monitoring unit asks units for a report on a period (yêu cầu báo cáo), with what a
    reporting regime must state: name, content, who reports, who receives, how it is sent,
    deadline, frequency, data cut-off date, outline and data forms."""

    title = models.CharField(_("name of the report"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    requested_by_unit = models.ForeignKey(
        Unit,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="report_requests_made",
    )
    committee = models.ForeignKey(
        Unit,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="report_requests",
        help_text=_("The committee whose units report."),
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="requests"
    )
    directives = models.ManyToManyField(
        "directives.Directive", verbose_name=_("directives"), blank=True, related_name="+"
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("units that report"), related_name="report_requests_received"
    )
    recipient = models.CharField(_("received by"), max_length=300, blank=True)
    delivery = models.CharField(
        _("how it is sent"), max_length=200, blank=True, default=_("Through the system")
    )
    deadline = models.DateField(_("deadline"))
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.ONCE
    )
    data_cutoff_on = models.DateField(_("data cut-off date"), null=True, blank=True)
    outline = models.TextField(_("outline"), blank=True)
    data_forms = models.TextField(_("data forms"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["-deadline", "-id"]
        indexes = [models.Index(fields=["deadline"], name="reports_request_deadline")]

    def __str__(self) -> str:
        return self.title


class UnitReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # Only where the committee asks unit leaders to approve reports (Unit.leader_approval).
    AWAITING_LEADER = "awaiting_leader", _("Awaiting the unit leader")
    SUBMITTED = "submitted", _("Submitted")


class TrackerStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    LATE = "late", _("Submitted late")
    NOT_SUBMITTED = "not_submitted", _("Not submitted")
    OVERDUE = "overdue", _("Not submitted, overdue")


TRACKER_COLOURS = {
    TrackerStatus.SUBMITTED: "green",
    TrackerStatus.LATE: "brown",
    TrackerStatus.NOT_SUBMITTED: "orange",
    TrackerStatus.OVERDUE: "red",
}

# The headings of a Vietnamese report, in their order; unit reports and roll-ups use them.
NARRATIVE_SECTIONS = [
    ("results", _("Results achieved")),
    ("limitations", _("Limitations and shortcomings")),
    ("causes", _("Causes")),
    ("next_steps", _("Tasks and solutions for the coming period")),
    ("proposals", _("Proposals and recommendations")),
]


# Every saved draft and the submission, with who saved it (the request's user).
@pghistory.track()
class UnitReport(models.Model):
    """One unit's answer to a request: its narrative under the standard headings and its
    indicator values, pre-filled from its accepted progress reports, submitted by its
    leader. Once submitted it is not changed."""

    request = models.ForeignKey(
        ReportRequest,
        verbose_name=_("report request"),
        on_delete=models.CASCADE,
        related_name="unit_reports",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="unit_reports"
    )
    results = models.TextField(_("results achieved"), blank=True)
    limitations = models.TextField(_("limitations and shortcomings"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    next_steps = models.TextField(_("tasks and solutions for the coming period"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=UnitReportStatus.choices,
        default=UnitReportStatus.DRAFT,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Where leaders approve: the staff member who sent it to the leader, and the leader's
    # comment when it came back (``submitted_by`` is then the leader who approved it).
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    leader_comment = models.TextField(_("comment"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="reports_unitreport_once"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(submitted_at__isnull=False)
                | Q(sent_at__isnull=False),
                name="reports_unitreport_submitted_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.unit}"


@pghistory.track()
class UnitReportIndicator(models.Model):
    """A unit's value for a task's quantitative target in its report."""

    report = models.ForeignKey(
        UnitReport,
        verbose_name=_("unit report"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    assignment = models.ForeignKey(
        "directives.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "assignment"], name="reports_indicator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.assignment_id}: {self.value}"


class RollupStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# Who asked for a roll-up and what it said, and each change of its state; not the build's
# running progress, its outbox bookkeeping or the stored figures (kept on the report).
@pghistory.track(
    exclude=[
        "progress", "progress_note", "figures", "narratives", "queued_at", "handed_at",
        "hand_count", "build_started_at",
    ]
)  # fmt: skip
class RollupReport(models.Model):
    """The roll-up report (báo cáo tổng hợp) for a committee's subtree and a period.

    Its figures and the units' narratives are stored when it is built (``figures``,
    ``narratives``), so it reads the same later whatever happens to the data. Numbers
    run per issuing body, document type and committee term ("12-BC/BDVTU").
    """

    committee = models.ForeignKey(
        Unit, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="rollups"
    )
    issuer = models.ForeignKey(
        Unit, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="rollups_issued"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="rollups"
    )
    doc_kind = models.CharField(_("document type"), max_length=8, default="BC")
    term = models.CharField(_("committee term"), max_length=20, blank=True)
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("document number"), max_length=60)
    subject = models.TextField(_("subject"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    issued_on = models.DateField(_("date"))
    header_parent = models.CharField(_("header: parent body"), max_length=200, blank=True)
    header_issuer = models.CharField(_("header: issuing body"), max_length=200, blank=True)
    signer_on_behalf = models.CharField(
        _("on behalf of"), max_length=120, blank=True, default="T/M BAN THƯỜNG VỤ"
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=120, blank=True, default="PHÓ BÍ THƯ"
    )
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    recipients = ArrayField(
        models.CharField(max_length=300), verbose_name=_("recipients"), default=list, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RollupStatus.choices, default=RollupStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("build step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    narratives = models.JSONField(_("units' narratives"), default=dict, blank=True)
    # The narrative as the monitor edited it before the build, by heading ("" for a
    # heading they emptied); what the document says. Empty for a scheduled build, whose
    # document says what was gathered.
    narrative_text = models.JSONField(_("narrative as edited"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The build job's outbox (reports/services.py): when it was asked for (in the user's
    # transaction), last handed to the broker, how often, and when a worker started it.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    handed_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    hand_count = models.PositiveSmallIntegerField(_("times handed to the queue"), default=0)
    build_started_at = models.DateTimeField(_("build started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roll-up report")
        verbose_name_plural = _("roll-up reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_kind", "term", "number"],
                name="reports_rollup_number_once",
                violation_error_message=_("This number is already used."),
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "period"], name="reports_rollup_committee"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.period}"


class ReportNumberCounter(models.Model):
    """The last number given per issuing body, document type and committee term; a row
    lock on it makes two reports built at once get different numbers."""

    issuer = models.ForeignKey(
        Unit, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    doc_kind = models.CharField(_("document type"), max_length=8)
    term = models.CharField(_("committee term"), max_length=20, blank=True)
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("report number counter")
        verbose_name_plural = _("report number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_kind", "term"], name="reports_counter_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_kind}/{self.issuer} {self.term}: {self.last_number}"


# The depth whose subtrees count their changes apart: a province (or a central body) with
# everything under it. Deeper slices share their province's count, shallower ones add up
# the counts of every province under them.
BRANCH_DEPTH = 2
SHARED_BRANCH = "*"


class FigureVersion(models.Model):
    """How many times the data behind one branch's figures has changed.

    ``branch`` is the materialised path of a unit at ``BRANCH_DEPTH`` (or shallower, for
    the units above that depth), or ``"*"`` for what every branch shares: directives,
    tasks and units. Database triggers (migration 0003) add one in the same transaction as
    the change, so figures computed after reading a version include every change that
    version counts, and a different version means they may be out of date.
    """

    branch = models.CharField(_("branch"), primary_key=True, max_length=64)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("figure version")
        verbose_name_plural = _("figure versions")

    def __str__(self) -> str:
        return f"{self.branch}: {self.version}"


class FigureCache(models.Model):
    """The figures of one dashboard slice as last computed, with the versions (summed over
    the branches the slice covers) read before computing them. They are current while that
    sum has not moved; otherwise they are shown with their time while a fresh set is
    computed (see reports/figure_cache.py)."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    params = models.JSONField(_("slice"))
    version = models.BigIntegerField(_("version"))
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"))
    duration_ms = models.PositiveIntegerField(_("computing time (ms)"))
    viewed_at = models.DateTimeField(_("last viewed at"))
    refresh_claimed_at = models.DateTimeField(_("refresh started at"), null=True, blank=True)
    # The .xlsx of a ``whole`` slice as last downloaded, built once per computation (a
    # national workbook takes seconds to write); emptied whenever the figures are stored.
    workbook = models.BinaryField(_("workbook (.xlsx)"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("stored figures")
        verbose_name_plural = _("stored figures")
        indexes = [models.Index(fields=["viewed_at"], name="reports_figcache_viewed")]

    def __str__(self) -> str:
        return f"{self.params} @ {self.computed_at:%Y-%m-%d %H:%M}"
