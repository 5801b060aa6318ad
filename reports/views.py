"""Dashboards, drill-down, roll-up reports and report requests: thin views over the
selectors (reads, scoped) and services (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from config.pagination import paginate
from config.views import FilteredListMixin
from directives.models import Directive
from directives.progress_forms import DecisionForm
from directives.status import COLOURS, URGENCY, Status, local_today
from reports import exports, services
from reports.aggregates import status_by_unit
from reports.drafting import rollup_draft
from reports.figure_cache import StoredFigures, figures_for, page_rows, stored_workbook
from reports.forms import (
    UNIT_REPORT_APPROVAL,
    ReportRequestForm,
    RollupCreateForm,
    UnitReportForm,
)
from reports.models import (
    NARRATIVE_SECTIONS,
    ReportRequest,
    RollupReport,
    RollupStatus,
    UnitReport,
    UnitReportStatus,
)
from reports.periods import periods_offered
from reports.selectors import (
    OutOfScope,
    dashboard_for_user,
    report_request_for_user,
    report_requests_for_user,
    request_tracker,
    rollup_for_user,
    rollup_is_stuck,
    rollups_for_user,
    slice_assignments,
    unit_report_draft,
    user_committee,
)
from units.models import Unit, User

# Chart colours for the status colour names of directives/status.py (and app.css).
HEX = {
    "red": "#c62828",
    "orange": "#ef6c00",
    "green": "#2e7d32",
    "brown": "#8d6e63",
    "grey": "#9e9e9e",
}
# Statuses the charts stack, most urgent at the bottom.
CHART_STATUSES = [s for s in URGENCY if s != Status.CANCELLED]
# Not-yet-due and on-time both are "green"; a lighter green tells them apart in charts.
CHART_HEX = {Status.NOT_DUE: "#81c784", Status.DUE_TODAY: "#f9a825"}


# The dashboard shows the longest overdue (and the start of the other long lists, see
# reports.figure_cache.page_rows); the .xlsx download has every row.
DASHBOARD_OVERDUE_ROWS = 20
# A drill-down into a unit lists the start of its tasks; the directive pages have them all.
DASHBOARD_UNIT_TASK_ROWS = 50


def chart_data(figures: dict) -> dict:
    """What static/js/dashboard.js draws, labels already translated."""
    status_sets = [
        {
            "key": s.value,
            "label": str(s.label),
            "colour": CHART_HEX.get(s, HEX[COLOURS[s]]),
        }
        for s in CHART_STATUSES
    ]
    units = [r for r in figures["by_unit"] if r["total"]]
    return {
        "statuses": status_sets,
        "units": {
            "labels": [r["unit"] for r in units],
            "ids": [r["unit_id"] for r in units],
            "values": {s["key"]: [r[s["key"]] for r in units] for s in status_sets},
        },
        "overall": [figures["counts"][s["key"]] for s in status_sets],
        "trend": {
            "labels": [t["month"] for t in figures["trend"]],
            "rate": [t["on_time_rate"] for t in figures["trend"]],
            "overdue": [t["overdue"] for t in figures["trend"]],
            "done": [t["done_on_time"] + t["done_late"] for t in figures["trend"]],
        },
        "text": {
            "rate": _("Done on time (%)"),
            "overdue": _("Overdue"),
            "done": _("Completed"),
            "assignments": _("Assignments"),
        },
    }


def dashboard_figures(dashboard, *, whole: bool = False) -> StoredFigures:
    """The stored figures of ``dashboard`` as its page shows them or, ``whole``, as its
    .xlsx download has them (every row, the roll-up's overdue list)."""
    return figures_for(
        dashboard.slice,
        root=dashboard.root,
        overdue_limit=services.ROLLUP_OVERDUE_LIMIT if whole else DASHBOARD_OVERDUE_ROWS,
        period_id=dashboard.period.pk if dashboard.period else None,
        whole=whole,
    )


class DashboardView(LoginRequiredMixin, TemplateView):
    """The committee's figures; the unit filter (or a click on a unit) drills down."""

    template_name = "reports/dashboard.html"
    partial_name = "reports/dashboard_body.html"

    def get_template_names(self) -> list[str]:
        return [self.partial_name if self.request.htmx else self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            dashboard = dashboard_for_user(user=self.request.user, filters=self.request.GET)
        except OutOfScope as exc:
            raise Http404 from exc
        stored = dashboard_figures(dashboard)
        # Pending: nothing computed yet but the name of the unit, for the title.
        figures = stored.figures or {"root": dashboard.root.name if dashboard.root else ""}
        query = self.request.GET.copy()
        query.pop("unit", None)
        context.update(
            dashboard=dashboard,
            figures=figures,
            stored=stored,
            charts=None if stored.pending else chart_data(figures),
            **({} if stored.pending else page_rows(figures)),
            filter=dashboard.filterset,
            querystring=self.request.GET.urlencode(),
            query_without_unit=query.urlencode(),
            ancestors=self.ancestors(dashboard.root, dashboard.top),
            statuses=CHART_STATUSES,
            unit_rows=self.unit_rows(dashboard),
        )
        return context

    def unit_rows(self, dashboard) -> list | None:
        """On a drill-down into a unit, the start of its own list of tasks (most urgent
        first); None on the committee's own overview."""
        if dashboard.root is None or (dashboard.top and dashboard.root.pk == dashboard.top.pk):
            return None
        return list(slice_assignments(s=dashboard.slice)[:DASHBOARD_UNIT_TASK_ROWS])

    def ancestors(self, root: Unit | None, top: Unit | None) -> list[Unit]:
        """The breadcrumb from the user's committee down to the unit shown."""
        if root is None or top is None or root.pk == top.pk:
            return []
        return list(
            Unit.objects.get_ancestors(root).filter(path__startswith=top.path).order_by("depth")
        )


class DashboardExportView(LoginRequiredMixin, View):
    """The dashboard's figures, as filtered, in an .xlsx workbook."""

    def get(self, request):
        try:
            dashboard = dashboard_for_user(user=request.user, filters=request.GET)
        except OutOfScope as exc:
            raise Http404 from exc
        # Every row, stored like the dashboard's own figures: a download of a slice whose
        # stored figures are out of date gives them with the time they were computed while
        # a worker brings them up to date, instead of holding a web worker for a minute.
        stored = dashboard_figures(dashboard, whole=True)
        if stored.pending:
            return render(
                request, "reports/figures_pending.html", {"dashboard": dashboard}, status=409
            )

        def build(figures: dict) -> bytes:
            title = _("Figures of %(unit)s") % {"unit": figures["root"] or _("All units")}
            return exports.figures_xlsx(
                figures=figures, title=title, narratives=None, computed_at=stored.computed_at
            )

        content = stored_workbook(stored, build)
        return download(content, "tong-hop-so-lieu.xlsx", exports.XLSX_TYPE)


class DirectiveDrillView(LoginRequiredMixin, TemplateView):
    """One directive within the dashboard's unit and period: counts per unit and every
    assignment, each linking to its page."""

    template_name = "reports/directive_drill.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        try:
            directive = Directive.objects.visible_to(user).get(pk=kwargs["pk"])
        except Directive.DoesNotExist as exc:
            raise Http404 from exc
        filters = self.request.GET.copy()
        filters["directive"] = str(directive.pk)
        try:
            dashboard = dashboard_for_user(user=user, filters=filters)
        except OutOfScope as exc:
            raise Http404 from exc
        rows = slice_assignments(s=dashboard.slice)
        context.update(
            directive=directive,
            dashboard=dashboard,
            by_unit=[r for r in status_by_unit(dashboard.slice) if r["total"]],
            statuses=CHART_STATUSES,
            **paginate(self.request, rows, self.paginate_by),
        )
        return context


def managed_committee(user: User, permission: str) -> Unit:
    """The committee a monitor (or administrator) compiles roll-ups and sends report
    requests for, when ``permission`` (access/permissions.py) allows it on that committee;
    PermissionDenied for anyone else."""
    committee = user_committee(user=user)
    if committee is None or not user.has_perm(permission, committee):
        raise PermissionDenied
    return committee


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Roll-up reports --------------------------------------------------------------------


class RollupListView(LoginRequiredMixin, FilteredListMixin, TemplateView):
    template_name = "reports/rollup_list.html"

    def get_rows(self, filters):
        return rollups_for_user(user=self.request.user, filters=filters)


class RollupCreateView(LoginRequiredMixin, View):
    """The roll-up form, pre-filled with what reports/drafting.py gathers for the chosen
    period (``?period=`` reloads it for another one)."""

    template_name = "reports/rollup_form.html"

    def get(self, request):
        committee = managed_committee(request.user, "reports.create_rollup")
        period = None
        chosen = request.GET.get("period", "")
        if chosen:
            period = periods_offered().filter(pk=chosen).first() if chosen.isdigit() else None
            if period is None:
                raise Http404
        draft = rollup_draft(committee=committee, by=request.user, period=period)
        form = RollupCreateForm(initial=RollupCreateForm.initial_from(draft))
        return render(request, self.template_name, {"form": form, "committee": committee})

    def post(self, request):
        committee = managed_committee(request.user, "reports.create_rollup")
        form = RollupCreateForm(request.POST)
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "committee": committee}, status=400
            )
        data = form.cleaned_data
        report = services.rollup_create_from_form(
            by=request.user, committee=committee, data=data, texts=form.narrative_text()
        )
        messages.success(request, _("Report %(code)s is being built.") % {"code": report.code})
        return redirect("reports:rollup_detail", pk=report.pk)


class RollupDetailView(LoginRequiredMixin, TemplateView):
    """A roll-up: its progress while it is built (the page polls), then its figures and
    narratives as stored."""

    template_name = "reports/rollup_detail.html"

    def get_template_names(self) -> list[str]:
        if self.request.htmx and self.request.GET.get("part") == "progress":
            return ["reports/rollup_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            report = rollup_for_user(user=self.request.user, pk=kwargs["pk"])
        except RollupReport.DoesNotExist as exc:
            raise Http404 from exc
        figures = report.figures if report.status == RollupStatus.READY else None
        context.update(
            report=report,
            figures=figures,
            charts=chart_data(figures) if figures else None,
            **(page_rows(figures) if figures else {}),
            sections=[
                (label, report.narratives.get(key, []), report.narrative_text.get(key))
                for key, label in NARRATIVE_SECTIONS
            ],
            statuses=CHART_STATUSES,
            building=report.status in (RollupStatus.PENDING, RollupStatus.BUILDING),
            stuck=rollup_is_stuck(report),
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # Once built, a polling fragment reloads the whole page to show the figures.
        if self.request.htmx and not context["building"]:
            response["HX-Refresh"] = "true"
        return response


class RollupDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int, fmt: str):
        if fmt not in ("docx", "xlsx"):
            raise Http404
        try:
            report = rollup_for_user(user=request.user, pk=pk)
        except RollupReport.DoesNotExist as exc:
            raise Http404 from exc
        if report.status != RollupStatus.READY:
            messages.error(request, _("The report is not built yet."))
            return redirect("reports:rollup_detail", pk=pk)
        name = f"bao-cao-{report.number}-{report.period.end_on:%Y%m%d}"
        if fmt == "docx":
            return download(exports.rollup_docx(report), f"{name}.docx", exports.DOCX_TYPE)
        content = exports.figures_xlsx(
            figures=report.figures, title=report.code, narratives=report.narratives
        )
        return download(content, f"{name}.xlsx", exports.XLSX_TYPE)


class RollupRebuildView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        try:
            report = rollup_for_user(user=request.user, pk=pk)
        except RollupReport.DoesNotExist as exc:
            raise Http404 from exc
        try:
            services.rollup_rebuild(report=report, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("reports:rollup_detail", pk=pk)


# --- Report requests and unit reports ----------------------------------------------------


class RequestListView(LoginRequiredMixin, TemplateView):
    template_name = "reports/request_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = report_requests_for_user(user=self.request.user).order_by("-deadline", "-pk")
        context.update(**paginate(self.request, rows, 25))
        return context


class RequestCreateView(LoginRequiredMixin, View):
    template_name = "reports/request_form.html"

    def get(self, request):
        managed_committee(request.user, "reports.create_report_request")
        return render(request, self.template_name, {"form": ReportRequestForm(user=request.user)})

    def post(self, request):
        committee = managed_committee(request.user, "reports.create_report_request")
        form = ReportRequestForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = dict(form.cleaned_data)
        units, directives = data.pop("units"), data.pop("directives")
        try:
            report_request = services.report_request_create(
                by=request.user,
                committee=committee,
                units=units,
                directives=directives,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, self.template_name, {"form": form}, status=400)
        messages.success(request, _("The request was sent to %(n)d units.") % {"n": len(units)})
        return redirect("reports:request_detail", pk=report_request.pk)


class RequestDetailView(LoginRequiredMixin, TemplateView):
    """The request and its tracker: every unit submitted, late or not yet."""

    template_name = "reports/request_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        try:
            report_request = report_request_for_user(user=user, pk=kwargs["pk"])
        except ReportRequest.DoesNotExist as exc:
            raise Http404 from exc
        visible = set(Unit.objects.visible_to(user).values_list("pk", flat=True))
        tracker = [
            row for row in request_tracker(report_request, local_today()) if row["pk"] in visible
        ]
        context.update(
            request_obj=report_request,
            tracker=tracker,
            own_unit_asked=user.unit_id in {row["pk"] for row in tracker},
        )
        return context


class UnitReportView(LoginRequiredMixin, View):
    """The unit's answer: pre-filled, edited by staff, submitted by the leader. Viewing it
    writes nothing; the first save (or submission) stores it."""

    template_name = "reports/unit_report_form.html"

    def load(self, request, pk: int) -> tuple[ReportRequest, UnitReport, list]:
        try:
            report_request = report_request_for_user(user=request.user, pk=pk)
        except ReportRequest.DoesNotExist as exc:
            raise Http404 from exc
        if request.user.unit is None:
            raise PermissionDenied
        report, indicators = unit_report_draft(
            request=report_request, unit=request.user.unit, user=request.user
        )
        return report_request, report, indicators

    def get(self, request, pk: int):
        _request, report, indicators = self.load(request, pk)
        return self.show(request, report, UnitReportForm(instance=report, indicators=indicators))

    def show(self, request, report, form, status=200, decision=None):
        user = request.user
        awaiting = report.status == UnitReportStatus.AWAITING_LEADER
        can_decide = awaiting and user.has_perm("reports.approve_unit_report", report)
        return render(
            request,
            self.template_name,
            {
                "report": report,
                "form": form,
                "editable": report.status == UnitReportStatus.DRAFT
                and user.has_perm("reports.edit_unit_report", report.unit),
                "can_submit": user.has_perm("reports.submit_unit_report", report)
                or user.has_perm("reports.send_unit_report_to_leader", report),
                "to_leader": user.has_perm("reports.send_unit_report_to_leader", report),
                "decision": (decision or unit_report_decision_form()) if can_decide else None,
            },
            status=status,
        )

    def post(self, request, pk: int):
        report_request, report, indicators = self.load(request, pk)
        # Validating writes the typed text onto the form's instance: a stored report's is
        # a copy, so the page still shows what is stored.
        instance = UnitReport.objects.get(pk=report.pk) if report.pk else report
        form = UnitReportForm(request.POST, instance=instance, indicators=indicators)
        if not form.is_valid():
            return self.show(request, report, form, status=400)
        texts = {key: form.cleaned_data[key] for key, _label in NARRATIVE_SECTIONS}
        try:
            with transaction.atomic():
                report = services.unit_report_open(
                    request=report_request, unit=request.user.unit, by=request.user
                )
                services.unit_report_save(
                    report=report, by=request.user, texts=texts, values=form.indicator_values()
                )
                if "submit" in request.POST:
                    services.unit_report_submit(report=report, by=request.user)
            if "submit" in request.POST:
                messages.success(request, _("The report was submitted."))
            else:
                messages.success(request, _("The draft was saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.show(request, report, form, status=400)
        return redirect(reverse("reports:unit_report", args=[pk]))


def unit_report_decision_form(data=None) -> DecisionForm:
    """The leader's decision on a report staff sent: the review queue's form."""
    return DecisionForm(data, auto_id="id_unit_report_%s", **UNIT_REPORT_APPROVAL)


class UnitReportDecideView(UnitReportView):
    """The unit leader approves the unit's report for the committee, or returns it to
    staff with a comment (where the committee asks leaders to approve)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        _request, report, _indicators = self.load(request, pk)
        if not request.user.has_perm("reports.approve_unit_report", report) or not report.pk:
            raise PermissionDenied
        decision = unit_report_decision_form(request.POST)
        if decision.is_valid():
            try:
                services.unit_report_leader_decide(
                    report=report,
                    leader=request.user,
                    approve=decision.says_yes,
                    comment=decision.cleaned_data["comment"],
                )
            except ValidationError as exc:
                decision.add_error(None, exc.messages)
        if decision.errors:
            report.refresh_from_db()
            form = UnitReportForm(instance=report, indicators=_indicators)
            return self.show(request, report, form, status=400, decision=decision)
        if decision.says_yes:
            messages.success(request, _("The report was approved and sent to the committee."))
        else:
            messages.success(request, _("The report was returned to its author."))
        return redirect(reverse("reports:unit_report", args=[pk]))
