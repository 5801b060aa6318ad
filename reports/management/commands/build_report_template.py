"""Write the Word template of roll-up reports (reports/templates_docx/rollup.docx).

    python manage.py build_report_template [--output PATH]

The file is a docxtpl template laid out as a party document. To use another layout, an
administrator opens this file in Word, changes fonts, spacing, wording or order, keeps the
tags below, saves it (e.g. /srv/data/mau-bao-cao.docx) and sets
REPORTS_DOCX_TEMPLATE=/srv/data/mau-bao-cao.docx; the next download uses it.

Tags available (all text already formatted the Vietnamese way):
  {{ header_parent }} {{ header_issuer }} {{ issuer_name }} {{ code }} {{ place }}
  {{ date_text }} {{ subject }} {{ period }} {{ period_text }} {{ committee }} {{ summary }}
  {{ overdue_summary }} (the overdue work in one paragraph; the list is in the appendix)
  tables, one row per item between {%tr for r in LIST %} and {%tr endfor %}:
    by_unit: r.no r.unit r.total r.on_time r.late r.overdue r.open r.rate
      (units with work assigned only)
    by_directive: r.no r.directive r.total r.done r.overdue r.progress
    indicators: r.no r.indicator r.measure r.target r.achieved r.percent
    overdue: r.no r.unit r.task r.due r.days (the appendix; task text shortened, the
      .xlsx has it whole)
  paragraphs, one per line between {%p for line in LIST %} and {%p endfor %}:
    s_results s_limitations s_causes s_next_steps s_proposals recipients
  {{ signer_on_behalf }} {{ signer_title }} {{ signer_name }}
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"


def set_font(style, size: float) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def paragraph(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align=None,
    indent: bool = False,
    space_after: float = 6,
):
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.27)
    return p


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def loop_table(document, headers: list[str], fields: list[str], items: str, widths: list[float]):
    """A bordered table whose data row repeats for each item of ``items``."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, header in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
        run.font.size = Pt(11)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.rows[1].cells[0].text = f"{{%tr for r in {items} %}}"
    for i, field in enumerate(fields):
        cell = table.rows[2].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(f"{{{{ r.{field} }}}}")
        run.font.size = Pt(11)
        if i == 0 or field not in ("unit", "directive", "indicator", "task"):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.rows[3].cells[0].text = "{%tr endfor %}"
    fixed_widths(table, widths)
    paragraph(document, space_after=6)


def fixed_widths(table, widths: list[float]) -> None:
    """Column widths Word and LibreOffice both keep: the grid, every cell, and a fixed
    layout (without the grid LibreOffice splits the page evenly)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for i, width in enumerate(widths):
            row.cells[i].width = Cm(width)


def loop_paragraphs(document, items: str) -> None:
    paragraph(document, f"{{%p for line in {items} %}}")
    paragraph(document, "{{ line }}", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph(document, "{%p endfor %}")


def build(path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    set_font(document.styles["Normal"], 14)
    set_font(document.styles["Table Grid"], 12)

    header = document.add_table(rows=1, cols=2)
    no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(8.5)
    center = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].text = ""
    run = left.paragraphs[0].add_run("{{ header_parent }}")
    run.font.size = Pt(14)
    left.paragraphs[0].alignment = center
    paragraph(left, "{{ header_issuer }}", bold=True, align=center, space_after=0)
    paragraph(left, "*", align=center, space_after=0)
    paragraph(left, "Số {{ code }}", size=14, align=center, space_after=0)
    right.paragraphs[0].text = ""
    run = right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
    run.bold, run.underline = True, True
    run.font.size = Pt(15)
    right.paragraphs[0].alignment = center
    paragraph(right, "", space_after=0)
    paragraph(right, "{{ place }}, {{ date_text }}", italic=True, align=center, space_after=0)

    paragraph(document, "", space_after=12)
    paragraph(document, "BÁO CÁO", bold=True, size=16, align=center, space_after=0)
    paragraph(document, "{{ subject }}", bold=True, align=center, space_after=0)
    paragraph(document, "-----", align=center, space_after=12)
    paragraph(
        document,
        "Thực hiện chức năng theo dõi, đôn đốc việc thực hiện các văn bản chỉ đạo, "
        "{{ issuer_name }} báo cáo kết quả {{ period_text }} trong phạm vi "
        "{{ committee }} như sau:",
        indent=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )

    paragraph(document, "I. KẾT QUẢ ĐẠT ĐƯỢC", bold=True)
    paragraph(document, "1. Tình hình chung", bold=True)
    paragraph(document, "{{ summary }}", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph(document, "2. Kết quả theo đơn vị", bold=True)
    loop_table(
        document,
        ["STT", "Đơn vị", "Tổng số", "Đúng hạn", "Trễ hạn", "Quá hạn", "Đang thực hiện",
         "Tỷ lệ đúng hạn"],
        ["no", "unit", "total", "on_time", "late", "overdue", "open", "rate"],
        "by_unit",
        [1.2, 6.0, 1.4, 1.4, 1.4, 1.4, 1.6, 1.6],
    )  # fmt: skip
    paragraph(document, "3. Kết quả theo văn bản", bold=True)
    loop_table(
        document,
        ["STT", "Văn bản", "Tổng số", "Hoàn thành", "Quá hạn", "Tiến độ"],
        ["no", "directive", "total", "done", "overdue", "progress"],
        "by_directive",
        [1.2, 8.8, 1.4, 1.8, 1.4, 1.4],
    )
    paragraph(document, "4. Kết quả thực hiện các chỉ tiêu", bold=True)
    loop_table(
        document,
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Đạt được", "Tỷ lệ"],
        ["no", "indicator", "measure", "target", "achieved", "percent"],
        "indicators",
        [1.2, 7.2, 1.9, 1.9, 1.9, 1.9],
    )
    paragraph(document, "5. Kết quả từ báo cáo của các đơn vị", bold=True)
    loop_paragraphs(document, "s_results")

    paragraph(document, "II. HẠN CHẾ, TỒN TẠI", bold=True)
    paragraph(document, "{{ overdue_summary }}", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    loop_paragraphs(document, "s_limitations")
    paragraph(document, "III. NGUYÊN NHÂN", bold=True)
    loop_paragraphs(document, "s_causes")
    paragraph(document, "IV. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI", bold=True)
    loop_paragraphs(document, "s_next_steps")
    paragraph(document, "V. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    loop_paragraphs(document, "s_proposals")
    paragraph(document, "", space_after=12)

    footer = document.add_table(rows=1, cols=2)
    no_borders(footer)
    left, right = footer.rows[0].cells
    left.width, right.width = Cm(8), Cm(8)
    left.paragraphs[0].text = ""
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic, run.underline = True, True, True
    run.font.size = Pt(12)
    paragraph(left, "{%p for line in recipients %}", space_after=0)
    paragraph(left, "- {{ line }},", size=12, space_after=0)
    paragraph(left, "{%p endfor %}", space_after=0)
    right.paragraphs[0].text = ""
    run = right.paragraphs[0].add_run("{{ signer_on_behalf }}")
    run.bold = True
    right.paragraphs[0].alignment = center
    paragraph(right, "{{ signer_title }}", bold=True, align=center, space_after=0)
    for _ in range(3):
        paragraph(right, "", space_after=0)
    paragraph(right, "{{ signer_name }}", bold=True, align=center, space_after=0)

    appendix = document.add_paragraph()
    appendix.add_run().add_break(WD_BREAK.PAGE)
    paragraph(document, "PHỤ LỤC", bold=True, align=center, space_after=0)
    paragraph(
        document,
        "Danh sách nhiệm vụ quá hạn chưa hoàn thành",
        bold=True,
        align=center,
        space_after=0,
    )
    paragraph(
        document,
        "(Kèm theo Báo cáo số {{ code }})",
        italic=True,
        align=center,
        space_after=6,
    )
    loop_table(
        document,
        ["STT", "Đơn vị", "Văn bản, nhiệm vụ", "Hạn", "Số ngày quá hạn"],
        ["no", "unit", "task", "due", "days"],
        "overdue",
        [1.2, 4.0, 7.0, 2.3, 1.5],
    )
    paragraph(document, "{{ overdue_more }}", italic=True, size=12)

    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)


class Command(BaseCommand):
    help = "Write the Word template used for roll-up reports."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "reports" / "templates_docx" / "rollup.docx"),
        )

    def handle(self, *args, output: str, **options) -> None:
        build(Path(output))
        self.stdout.write(f"Wrote {output}")
