"""An .xlsx export never holds a live formula, whatever a user typed into a title."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import figures_xlsx
from tests.reports.test_rollups import build, submitted_unit_report

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/","x")'


def strings_of(sheet) -> dict[str, str]:
    """Every cell holding a trigger character first: its coordinate and data type."""
    return {
        cell.coordinate: cell.data_type
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r"
    }


def test_formula_text_is_written_as_text_in_every_sheet(client, world):
    world["t2"].title = EVIL
    world["t2"].section = ""  # the sheets write "section title"
    world["t2"].target_indicator = "-" + EVIL
    world["t2"].save()
    world["d1"].subject = "@" + EVIL
    world["d1"].save()
    # A narrative line loses a leading bullet dash ("- ..."), so "+" is the trigger here.
    submitted_unit_report(world, results=EVIL, limitations="+1 xã chưa báo cáo")
    report = build(world)
    client.force_login(world["a"]["viewer"])
    response = client.get(reverse("reports:rollup_download", args=[report.pk, "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    seen = {}
    for name in ("By directive", "Overdue", "Indicators", "Unit reports"):
        sheet = next(s for s in book.worksheets if s.title == _vi(name))
        cells = strings_of(sheet)
        assert cells, f"{name}: the test text is missing from the sheet"
        assert set(cells.values()) == {"s"}, (name, cells)
        seen[name] = [sheet[c].value for c in cells]
    assert "@" + EVIL in seen["By directive"]
    assert EVIL in seen["Overdue"]
    assert {EVIL, "-" + EVIL} <= set(seen["Indicators"])
    assert {EVIL, "+1 xã chưa báo cáo"} <= set(seen["Unit reports"])
    for sheet in book.worksheets:
        assert "f" not in {c.data_type for row in sheet.iter_rows() for c in row}, sheet.title


def _vi(name: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("vi"):
        return gettext(name)[:31]


def test_tab_and_carriage_return_openings_stay_text():
    figures = {
        "root": "\tTổng", "as_of": None, "counts": {"total": 0, "done_on_time": 0,
        "done_late": 0}, "on_time_rate": None, "overdue_count": 0, "due_this_week": [],
        "by_unit": [], "by_directive": [], "overdue": [], "indicators": [], "trend": [],
    }  # fmt: skip
    book = load_workbook(io.BytesIO(figures_xlsx(figures=figures, title="\r=1+1", narratives=None)))
    summary = book.worksheets[0]
    assert summary["A1"].data_type == "s" and summary["A1"].value.endswith("=1+1")
    assert summary["A1"].quotePrefix and summary["B2"].quotePrefix
    assert summary["B2"].data_type == "s"
