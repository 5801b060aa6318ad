"""The .docx and .xlsx a monitor downloads: opened and read like a person would."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from reports.exports import vn_number, vn_rate
from tests.reports.test_rollups import build, submitted_unit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    submitted_unit_report(world, limitations="Một số hội nghị tổ chức chậm.")
    return build(
        world,
        signer_name="Nguyễn Văn Bình",
        recipients=["Thường trực Tỉnh ủy (để b/c)", "Lưu VT"],
    )


def download(client, world, report, fmt):
    client.force_login(world["a"]["viewer"])
    response = client.get(reverse("reports:rollup_download", args=[report.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def docx_text(document) -> list[str]:
    """Every paragraph of the body and of every table cell, in order."""
    lines = []
    for block in document.element.body.iter():
        if block.tag.endswith("}p"):
            text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
            lines.append(text)
    return lines


def test_vietnamese_number_format():
    assert vn_number(1234567) == "1.234.567"
    assert vn_number(55.5, 2) == "55,5"
    assert vn_rate(33.3) == "33,3%"


def test_docx_is_laid_out_as_a_party_document(client, world, report):
    document = Document(io.BytesIO(download(client, world, report, "docx")))
    lines = docx_text(document)
    text = "\n".join(lines)
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "TỈNH ỦY HẢI DƯƠNG",
        "BAN DÂN VẬN",
        "*",
        "Số 1-BC/BDVTU",
    ]
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    place = [p for p in right.paragraphs if p.text == "Hải Dương, ngày 05 tháng 02 năm 2025"]
    assert place and all(run.italic for run in place[0].runs if run.text.strip())
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert "BÁO CÁO" in lines
    assert "tổng hợp kết quả thực hiện các văn bản chỉ đạo 6 tháng đầu năm 2024" in lines
    headings = ["I. KẾT QUẢ ĐẠT ĐƯỢC", "II. HẠN CHẾ, TỒN TẠI", "III. NGUYÊN NHÂN",
                "IV. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI", "V. ĐỀ XUẤT, KIẾN NGHỊ"]  # fmt: skip
    positions = [lines.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "tỷ lệ hoàn thành đúng hạn 33,3%" in text
    assert "- Ủy ban MTTQ Việt Nam tỉnh Hải Dương: Tổ chức 12 hội nghị." in lines
    assert "- Ủy ban MTTQ Việt Nam tỉnh Hải Dương: Một số hội nghị tổ chức chậm." in lines
    assert "(Chưa có đơn vị báo cáo nội dung này.)" in lines  # causes: nobody wrote any
    # The table by unit: a row per unit with work assigned; the farmers have none.
    by_unit = document.tables[1]
    rows = [[c.text for c in row.cells] for row in by_unit.rows]
    assert rows[0][:2] == ["STT", "Đơn vị"]
    assert ["3", "Đảng ủy xã A", "3", "0", "1", "1", "1", "0%"] in rows
    assert not any(row[1] == "Hội Nông dân tỉnh" for row in rows)
    overdue_table = [t for t in document.tables if t.rows[0].cells[-1].text == "Số ngày quá hạn"][0]
    assert [c.text for c in overdue_table.rows[1].cells][-2:] == ["31/05/2024", "30"]
    # The signature block ends the report; the appendix (the overdue list) follows it.
    footer = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    left, right = footer.rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert "- Lưu VT," in [p.text for p in left.paragraphs]
    signature = [p.text for p in right.paragraphs if p.text]
    # Issued by the Ban Dân vận, signed as the board.
    assert signature == ["T/M BAN DÂN VẬN", "TRƯỞNG BAN", "Nguyễn Văn Bình"]
    assert "{{" not in text and "{%" not in text


def test_xlsx_has_a_formatted_sheet_per_table(client, world, report):
    book = load_workbook(io.BytesIO(download(client, world, report, "xlsx")))
    assert len(book.worksheets) == 7
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold
        assert sheet.column_dimensions["A"].width >= 10
    by_unit = book.worksheets[1]
    rows = {r[0]: r for r in by_unit.iter_rows(min_row=2, values_only=True)}
    assert rows["Ủy ban MTTQ Việt Nam tỉnh Hải Dương"][1] == 3
    assert rows["Ủy ban MTTQ Việt Nam tỉnh Hải Dương"][-1] == 50.0
    overdue = list(book.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert len(overdue) == 1 and overdue[0][0] == "MTTQ xã A" and overdue[0][4] == 30
    assert overdue[0][3].date().isoformat() == "2024-05-31"
    assert book.worksheets[3]["D2"].number_format == "dd/mm/yyyy"
    indicators = list(book.worksheets[4].iter_rows(min_row=2, values_only=True))
    assert [(r[5], r[6], r[7]) for r in indicators] == [(100, 55, 55), (10, None, None)]
    narratives = list(book.worksheets[6].iter_rows(min_row=2, values_only=True))
    assert ("Ủy ban MTTQ Việt Nam tỉnh Hải Dương", "Tổ chức 12 hội nghị.") in [
        r[1:] for r in narratives
    ]


def test_docx_renders_to_pdf_with_libreoffice(client, world, report, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) not installed: .docx to PDF check skipped")
    from pypdf import PdfReader

    source = tmp_path / "bao-cao.docx"
    source.write_bytes(download(client, world, report, "docx"))
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    reader = PdfReader(tmp_path / "bao-cao.pdf")
    text = unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))
    flat = " ".join(text.split())
    for expected in ["ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY HẢI DƯƠNG", "Số 1-BC/BDVTU", "BÁO CÁO",
                     "Hải Dương, ngày 05 tháng 02 năm 2025", "KẾT QUẢ ĐẠT ĐƯỢC", "Nơi nhận",
                     "T/M BAN DÂN VẬN", "MTTQ xã A", "33,3%"]:  # fmt: skip
        assert expected in flat, expected
