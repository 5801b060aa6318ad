"""Exports of the figures: .docx from the replaceable Word template (docxtpl), and .xlsx
(openpyxl), both fed by the same figures dict the dashboard shows.

The Word template is ``settings.REPORTS_DOCX_TEMPLATE`` (by default
reports/templates_docx/rollup.docx, made by ``manage.py build_report_template``). An
administrator may replace it with their own layout: open the file in Word, keep the
``{{ ... }}`` and ``{%tr ... %}``/``{%p ... %}`` tags (listed in docs at the top of
reports/management/commands/build_report_template.py), save it elsewhere and point
REPORTS_DOCX_TEMPLATE at it.
"""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from directives.status import Status
from reports.drafting import issuer_short_name
from reports.models import NARRATIVE_SECTIONS, RollupReport

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Vietnamese formatting for documents -----------------------------------------------


def vn_number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 → "1.234,5" (Vietnamese: "." for thousands, "," for decimals)."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if decimals and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def vn_rate(value: float | None) -> str:
    return "—" if value is None else f"{vn_number(value, 1)}%"


def vn_date(value: str | datetime.date | None) -> str:
    if not value:
        return ""
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%d/%m/%Y}"


def vn_long_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 02 năm 2025", as dates are written in party documents."""
    return f"ngày {day:%d} tháng {day:%m} năm {day.year}"


def vn_signed(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = vn_number(abs(value), decimals)
    return f"+{text}" if value > 0 else (f"-{text}" if value < 0 else "0")


# --- .docx --------------------------------------------------------------------------------


def summary_text(figures: dict) -> str:
    """The opening paragraph of the results section, from the figures."""
    c = figures["counts"]
    text = (
        f"Tính đến {vn_long_date(datetime.date.fromisoformat(figures['as_of']))}, "
        f"{figures['root']} có {vn_number(c['total'])} lượt nhiệm vụ được giao cho các đơn vị; "
        f"đã hoàn thành {vn_number(c['done'])} lượt "
        f"(đúng hạn {vn_number(c[Status.DONE_ON_TIME.value])}, "
        f"trễ hạn {vn_number(c[Status.DONE_LATE.value])}), "
        f"tỷ lệ hoàn thành đúng hạn {vn_rate(figures['on_time_rate'])}; "
        f"đang thực hiện {vn_number(c['open'] - c[Status.OVERDUE.value])} lượt; "
        f"quá hạn {vn_number(figures['overdue_count'])} lượt."
    )
    return text + change_text(figures)


def change_text(figures: dict) -> str:
    """ "So với thời điểm 30/06/2026 ...": the figures at the end of the previous period
    beside today's; nothing when there is no previous period or nothing was assigned by
    then (a comparison with nothing says nothing)."""
    change = figures.get("change")
    if not change or not change["total"]["before"]:
        return ""
    overdue = change[Status.OVERDUE.value]

    def pair(entry: dict, decimals: int = 0, rate: bool = False) -> str:
        shown = vn_rate if rate else (lambda v: vn_number(v, decimals))
        delta = vn_signed(entry["delta"], 1 if rate else decimals)
        unit = " điểm phần trăm" if rate else ""
        return f"{shown(entry['before'])} → {shown(entry['now'])} ({delta}{unit})"

    text = (
        f" So với thời điểm {vn_date(change['previous_as_of'])} (cuối kỳ trước): "
        f"số lượt được giao {pair(change['total'])}, "
        f"số lượt hoàn thành {pair(change['done'])}, "
        f"số lượt quá hạn {pair(overdue)}"
    )
    if change["on_time_rate"]["before"] is not None:
        text += f", tỷ lệ đúng hạn {pair(change['on_time_rate'], rate=True)}"
    return text + "."


# How much of a task's text the appendix prints; the .xlsx has it whole.
TASK_CHARS = 140
# Units named in the overdue paragraph of the main report.
OVERDUE_UNITS_NAMED = 5


def period_text(label: str) -> str:
    """ "quý III/2026" from "Quý III/2026", for the middle of a sentence."""
    return label[:1].lower() + label[1:]


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def overdue_summary(figures: dict) -> str:
    """The overdue work in one paragraph: how much, in how many units, which units most."""
    count = figures["overdue_count"]
    if not count:
        return "Không có nhiệm vụ quá hạn chưa hoàn thành."
    units = sorted(
        (r for r in figures["by_unit"] if r[Status.OVERDUE.value]),
        key=lambda r: (-r[Status.OVERDUE.value], r["unit"]),
    )
    named = ", ".join(
        f"{r['unit']} ({vn_number(r[Status.OVERDUE.value])})" for r in units[:OVERDUE_UNITS_NAMED]
    )
    return (
        f"Còn {vn_number(count)} lượt nhiệm vụ quá hạn chưa hoàn thành tại "
        f"{vn_number(len(units))} đơn vị; nhiều nhất: {named}. "
        "Danh sách chi tiết tại Phụ lục kèm theo."
    )


def narrative_lines(items: list[dict]) -> list[str]:
    if not items:
        return [NOTHING_REPORTED]
    lines = []
    for item in items:
        parts = [p.strip() for p in item["text"].splitlines() if p.strip()]
        lines.append(f"- {item['unit']}: {parts[0] if parts else ''}")
        lines.extend(parts[1:])
    return lines


NOTHING_REPORTED = "(Chưa có đơn vị báo cáo nội dung này.)"


def section_lines(report: RollupReport, key: str) -> list[str]:
    """A heading's paragraphs: the text the monitor edited before the build when there is
    one, else what was gathered."""
    if key in (report.narrative_text or {}):
        lines = [line.strip() for line in report.narrative_text[key].splitlines()]
        return [line for line in lines if line] or [NOTHING_REPORTED]
    return narrative_lines(report.narratives.get(key, []))


def docx_context(report: RollupReport) -> dict:
    """Everything the Word template uses; every number already in Vietnamese format."""
    f = report.figures
    status = Status
    return {
        "code": report.code,
        "header_parent": report.header_parent,
        "header_issuer": report.header_issuer,
        "issuer_name": issuer_short_name(report.issuer),
        "place": report.place,
        "date_text": vn_long_date(report.issued_on),
        "subject": report.subject,
        "period": report.period.label,
        "period_text": period_text(report.period.label),
        "committee": report.committee.name,
        "summary": summary_text(f),
        "overdue_summary": overdue_summary(f),
        "by_unit": [
            {
                "no": i,
                "unit": r["unit"] + (" (trực tiếp)" if r["own"] else ""),
                "total": vn_number(r["total"]),
                "on_time": vn_number(r[status.DONE_ON_TIME.value]),
                "late": vn_number(r[status.DONE_LATE.value]),
                "overdue": vn_number(r[status.OVERDUE.value]),
                "open": vn_number(r["open"] - r[status.OVERDUE.value]),
                "rate": vn_rate(r["on_time_rate"]),
            }
            for i, r in enumerate((r for r in f["by_unit"] if r["total"]), 1)
        ],
        "by_directive": [
            {
                "no": i,
                "directive": r.get("label") or f"{r['code']} {r['subject']}".strip(),
                "total": vn_number(r["total"]),
                "done": vn_number(r["done"]),
                "overdue": vn_number(r[status.OVERDUE.value]),
                "progress": vn_rate(r["progress"]),
            }
            for i, r in enumerate(f["by_directive"], 1)
        ],
        "indicators": [
            {
                "no": i,
                "indicator": r["indicator"] or r["task"],
                "measure": r["measure"],
                "target": vn_number(r["target"], 2),
                "achieved": vn_number(r["achieved"], 2),
                "percent": vn_rate(r["percent"]),
            }
            for i, r in enumerate(f["indicators"], 1)
        ],
        "overdue": [
            {
                "no": i,
                "unit": r["unit"],
                "task": shorten(
                    f"{r.get('directive_short', r['directive'])}: {r['task']}", TASK_CHARS
                ),
                "due": vn_date(r["due_on"]),
                "days": vn_number(r["days_overdue"]),
            }
            for i, r in enumerate(f["overdue"], 1)
        ],
        "overdue_more": (
            f"Danh sách có {vn_number(len(f['overdue']))} trong {vn_number(f['overdue_count'])}"
            " lượt quá hạn; tệp .xlsx kèm theo có đủ."
            if f["overdue_count"] > len(f["overdue"])
            else "Nội dung đầy đủ của từng nhiệm vụ có trong tệp .xlsx kèm theo."
        ),
        **{f"s_{key}": section_lines(report, key) for key, _label in NARRATIVE_SECTIONS},
        "recipients": report.recipients,
        "signer_on_behalf": report.signer_on_behalf,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
    }


def rollup_docx(report: RollupReport) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(settings.REPORTS_DOCX_TEMPLATE)
    document.render(docx_context(report), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- .xlsx --------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
THIN = Side(style="thin", color="BDBDBD")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
RATE_FORMAT = '0.0"%"'
DATE_FORMAT = "dd/mm/yyyy"
NUMBER_FORMAT = "#,##0"


# A spreadsheet treats text opening with one of these as a formula (or, for tab and CR,
# strips them and may then do so): OWASP "CSV injection".
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell) -> None:
    """Keep a string cell a string: openpyxl turns "=..." into a formula otherwise."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], formats=None):
    """One table on its own sheet: bold coloured header, frozen, filtered, sized."""
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        as_text(cell)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = BORDER
    for row in rows:
        sheet.append(row)
    formats = formats or {}
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            as_text(cell)
            cell.border = BORDER
            fmt = formats.get(cell.column)
            if fmt:
                cell.number_format = fmt
            if isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(headers, 1):
        values = [header] + [r[index - 1] for r in rows]
        longest = max(len(str(v)) if v is not None else 0 for v in values)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    sheet.row_dimensions[1].height = 30
    return sheet


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def figures_xlsx(
    *,
    figures: dict,
    title: str,
    narratives: dict | None,
    computed_at: datetime.datetime | None = None,
) -> bytes:
    """A workbook with one sheet per table of ``figures`` (and the narratives); the summary
    says when the figures were computed when that is given."""
    with translation.override(settings.LANGUAGE_CODE):
        return _figures_xlsx(
            figures=figures, title=title, narratives=narratives, computed_at=computed_at
        )


def _figures_xlsx(
    *, figures: dict, title: str, narratives: dict | None, computed_at: datetime.datetime | None
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    c = figures["counts"]
    on_time, late, overdue = (
        Status.DONE_ON_TIME.value,
        Status.DONE_LATE.value,
        Status.OVERDUE.value,
    )
    summary = [
        [_("Unit"), figures["root"]],
        [_("Figures as of"), _date(figures["as_of"])],
        [_("Assignments"), c["total"]],
        [_("Done on time"), c[on_time]],
        [_("Done late"), c[late]],
        [_("On-time rate (%)"), figures["on_time_rate"]],
        [_("Overdue"), figures["overdue_count"]],
        [_("Due this week"), len(figures["due_this_week"])],
    ]
    change = figures.get("change")
    if change:
        summary.append(
            [
                _("Change in completed since %(day)s") % {"day": vn_date(change["previous_as_of"])},
                change["done"]["delta"],
            ]
        )
        summary.append([_("Change in overdue"), change[overdue]["delta"]])
    if computed_at is not None:
        local = timezone.localtime(computed_at)
        summary.append([_("Computed at"), local.strftime("%H:%M %d/%m/%Y")])
    sheet = _sheet(workbook, _("Summary"), [title, _("Value")], summary)
    sheet["B3"].number_format = DATE_FORMAT
    sheet["B7"].number_format = RATE_FORMAT

    status_cols = [s for s in Status if s != Status.CANCELLED]
    _sheet(
        workbook,
        _("By unit"),
        [_("Unit"), _("Assignments"), *[str(s.label) for s in status_cols], _("On-time rate (%)")],
        [
            [r["unit"], r["total"], *[r[s.value] for s in status_cols], r["on_time_rate"]]
            for r in figures["by_unit"]
        ],
        formats={len(status_cols) + 3: RATE_FORMAT},
    )
    _sheet(
        workbook,
        _("By directive"),
        [_("Document"), _("Subject"), _("Issued on"), _("Assignments"), _("Completed"),
         _("Overdue"), _("Progress (%)")],
        [
            [r["code"], r["subject"], _date(r["issued_on"]), r["total"], r["done"], r[overdue],
             r["progress"]]
            for r in figures["by_directive"]
        ],
        formats={3: DATE_FORMAT, 7: RATE_FORMAT},
    )  # fmt: skip
    _sheet(
        workbook,
        _("Overdue"),
        [_("Unit"), _("Document"), _("Task"), _("Due on"), _("Days overdue"), _("Progress (%)")],
        [
            [r["unit"], r["directive"], r["task"], _date(r["due_on"]), r["days_overdue"],
             r["progress"]]
            for r in figures["overdue"]
        ],
        formats={4: DATE_FORMAT},
    )  # fmt: skip
    _sheet(
        workbook,
        _("Indicators"),
        [_("Document"), _("Task"), _("Indicator"), _("Unit of measure"), _("Baseline"),
         _("Target"), _("Achieved"), _("Achieved (%)"), _("Units reporting")],
        [
            [r["directive"], r["task"], r["indicator"], r["measure"], r["baseline"], r["target"],
             r["achieved"], r["percent"], r["reporting"]]
            for r in figures["indicators"]
        ],
        formats={8: RATE_FORMAT},
    )  # fmt: skip
    _sheet(
        workbook,
        _("Trend"),
        [_("Month"), _("As of"), _("Assignments"), _("Done on time"), _("Done late"),
         _("Overdue"), _("On-time rate (%)")],
        [
            [t["month"], _date(t["as_of"]), t["total"], t["done_on_time"], t["done_late"],
             t["overdue"], t["on_time_rate"]]
            for t in figures["trend"]
        ],
        formats={2: DATE_FORMAT, 7: RATE_FORMAT},
    )  # fmt: skip
    if narratives is not None:
        rows = [
            [str(label), item["unit"], item["text"]]
            for key, label in NARRATIVE_SECTIONS
            for item in narratives.get(key, [])
        ]
        _sheet(workbook, _("Unit reports"), [_("Heading"), _("Unit"), _("Content")], rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
