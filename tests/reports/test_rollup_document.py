"""The roll-up a Ban Dân vận signs: its narrative gathered from unit reports and accepted
progress reports and edited before the build, its signature, its layout, the periods it
is made for, and ``manage.py build_rollup``."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from directives.models import DirectiveKind, ReportStatus
from reports import exports, services
from reports.drafting import narratives_gather, signature_lines
from reports.models import ReportingPeriod, RollupReport
from reports.periods import period_default, periods_offered
from tests.documents import docx_pdf_pages
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    ProgressReportFactory,
    TaskFactory,
    UnitFactory,
)
from tests.reports.test_exports import docx_text
from tests.reports.test_rollups import build, submitted_unit_report
from units.models import UnitKind

pytestmark = pytest.mark.django_db
D = datetime.date
NOTHING = "(Chưa có đơn vị báo cáo nội dung này.)"


def progress_with_texts(world):
    """Accepted progress reports of the period that carry difficulties and proposals: the
    same difficulty from two units, and one report returned (never counted)."""
    a = world["a"]
    for key, assignment in (("front", world["a3"]), ("commune_front", world["a4"])):
        ProgressReportFactory(
            assignment=assignment, reported_on=D(2024, 6, 1), status=ReportStatus.ACCEPTED,
            difficulties="Kinh phí và nhân lực còn hạn chế.",
            proposals=f"Đề nghị hỗ trợ tập huấn cho {a[key].name}.", author=a["staff"],
        )  # fmt: skip
    ProgressReportFactory(
        assignment=world["a3"], reported_on=D(2024, 6, 2), status=ReportStatus.RETURNED,
        difficulties="Bị trả lại, không tính.", author=a["staff"],
    )  # fmt: skip


def test_narrative_gathers_accepted_progress_reports_attributed_and_deduplicated(world):
    progress_with_texts(world)
    submitted_unit_report(world, limitations="Kinh phí và nhân lực còn hạn chế")
    gathered = narratives_gather(committee=world["a"]["committee"], period=world["period"])
    limitations = gathered["limitations"]
    assert len(limitations) == 1  # one text, three mentions
    assert limitations[0]["units"] == ["Ủy ban MTTQ Việt Nam tỉnh Hải Dương", "MTTQ xã A"]
    proposals = [item["text"] for item in gathered["proposals"]]
    assert "Đề nghị hỗ trợ tập huấn cho MTTQ xã A." in proposals
    assert not any("Bị trả lại" in item["text"] for item in limitations)


def test_roll_up_form_is_prefilled_and_the_edited_text_is_what_the_document_says(
    world, client, django_capture_on_commit_callbacks
):
    progress_with_texts(world)
    client.force_login(world["a"]["monitor"])
    page = client.get(reverse("reports:rollup_create") + f"?period={world['period'].pk}")
    form = page.context["form"]
    assert "Kinh phí và nhân lực còn hạn chế." in form.initial["text_limitations"]
    assert "MTTQ xã A" in form.initial["text_limitations"]
    with django_capture_on_commit_callbacks():
        client.post(
            reverse("reports:rollup_create"),
            {
                "period": world["period"].pk, "issued_on": "05/02/2025", "signs_as": "head",
                "text_limitations": "- Các đơn vị: Kinh phí còn hạn chế (đã biên tập).",
                "text_proposals": "- Đề nghị Tỉnh ủy bố trí kinh phí tập huấn.",
                "text_causes": "", "text_next_steps": "", "text_results": "",
            },
        )  # fmt: skip
    report = RollupReport.objects.get()
    assert services.rollup_build(report_id=report.pk)
    report.refresh_from_db()
    lines = docx_text(Document(io.BytesIO(exports.rollup_docx(report))))
    assert "- Các đơn vị: Kinh phí còn hạn chế (đã biên tập)." in lines
    assert "- Đề nghị Tỉnh ủy bố trí kinh phí tập huấn." in lines
    assert not any("Đề nghị hỗ trợ tập huấn" in line for line in lines)


def test_signature_follows_the_issuer():
    board = UnitFactory(name="Ban Dân vận Thị ủy Đức Phổ", kind=UnitKind.PARTY_BOARD)
    merged = UnitFactory(name="Ban Tuyên giáo và Dân vận Tỉnh ủy", kind=UnitKind.PARTY_BOARD)
    committee = UnitFactory(name="Thị ủy Đức Phổ", kind=UnitKind.PARTY_COMMITTEE)
    assert signature_lines(board) == ("T/M BAN DÂN VẬN", "TRƯỞNG BAN")
    assert signature_lines(board, deputy=True) == ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")
    assert signature_lines(merged) == ("T/M BAN TUYÊN GIÁO VÀ DÂN VẬN", "TRƯỞNG BAN")
    assert signature_lines(committee) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    assert signature_lines(committee, deputy=True) == ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")


def test_ban_dan_van_report_is_signed_and_written_as_the_board(world):
    report = build(world)
    assert (report.signer_on_behalf, report.signer_title) == ("T/M BAN DÂN VẬN", "TRƯỞNG BAN")
    text = "\n".join(docx_text(Document(io.BytesIO(exports.rollup_docx(report)))))
    assert "Ban Dân vận báo cáo kết quả 6 tháng đầu năm 2024" in text
    assert "ban dân vận báo cáo" not in text


def test_units_with_nothing_assigned_are_not_listed_and_directives_without_number_named(world):
    nameless = DirectiveFactory(
        issuer=world["a"]["committee"], kind=DirectiveKind.KL, number="", code="",
        issued_on=D(2024, 2, 1), subject="về công tác dân vận chính quyền",
    )  # fmt: skip
    task = TaskFactory(directive=nameless, section="II.1.1", title="Rà soát", due_on=D(2024, 3, 1))
    AssignmentFactory(task=task, unit=world["a"]["front"], due_on=D(2024, 3, 1))
    report = build(world)
    document = Document(io.BytesIO(exports.rollup_docx(report)))
    by_unit = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert not any(row[1] == "Hội Nông dân tỉnh" for row in by_unit)
    text = "\n".join(docx_text(document))
    assert "Kết luận ngày 01/02/2024 về công tác dân vận chính quyền" in text
    assert ": II.1.1" not in text.replace("Kết luận ngày 01/02/2024: II.1.1", "")


def test_change_sentence_compares_with_the_previous_period_or_is_left_out(world):
    with_before = build(world)  # 5 assignments by 31/12/2023
    summary = exports.summary_text(with_before.figures)
    assert "So với thời điểm 31/12/2023 (cuối kỳ trước): số lượt được giao 5 → 8" in summary
    early, _ = ReportingPeriod.objects.get_or_create(
        kind="quarter", start_on=D(2023, 10, 1), end_on=D(2023, 12, 31), directive=None,
        defaults={"label": "Quý IV/2023"},
    )  # fmt: skip
    report = services.rollup_create(
        by=world["a"]["monitor"], committee=world["a"]["committee"], period=early, build=False
    )
    services.rollup_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.figures["change"]["total"]["before"] == 0
    assert "So với thời điểm" not in exports.summary_text(report.figures)


def test_periods_end_at_the_current_year_and_the_default_has_ended():
    today = D(2026, 11, 29)
    services.reporting_periods_ensure(year=2026)
    services.reporting_periods_ensure(year=2027)
    offered = periods_offered(today)
    assert not offered.filter(start_on__year=2027).exists()
    assert offered.filter(label="Quý IV/2026").exists()
    assert period_default(today).label == "Quý III/2026"
    services.reporting_periods_ensure(year=2025)
    # Several periods ended on 31/12/2025: the longest, the year, is the default.
    assert period_default(D(2026, 2, 1)).label == "Năm 2025"


def test_rollup_form_defaults_to_the_latest_ended_period_and_hides_next_year(world, client):
    from directives.status import local_today

    today = local_today()
    services.reporting_periods_ensure(year=today.year)
    services.reporting_periods_ensure(year=today.year + 1)
    client.force_login(world["a"]["monitor"])
    form = client.get(reverse("reports:rollup_create")).context["form"]
    choices = [label for _value, label in form.fields["period"].choices]
    assert not any(str(today.year + 1) in label for label in choices)
    default = ReportingPeriod.objects.get(pk=form.initial["period"])
    assert default.end_on < today and default == period_default(today)
    assert any("(đang diễn ra)" in label for label in choices)


def test_build_rollup_command_builds_what_the_page_builds(world, client, tmp_path):
    progress_with_texts(world)
    out = tmp_path / "bao-cao.docx"
    call_command(
        "build_rollup", committee=world["a"]["committee"].name,
        period="6 tháng đầu năm 2024", out=str(out),
    )  # fmt: skip
    by_command = RollupReport.objects.get()
    client.force_login(world["a"]["monitor"])
    page = client.get(reverse("reports:rollup_create") + f"?period={world['period'].pk}")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data["issued_on"] = data["issued_on"].strftime("%d/%m/%Y")
    client.post(reverse("reports:rollup_create"), data)
    by_page = RollupReport.objects.exclude(pk=by_command.pk).get()
    services.rollup_build(report_id=by_page.pk)
    by_page.refresh_from_db()

    def text(content: bytes, code: str) -> str:
        return "\n".join(docx_text(Document(io.BytesIO(content)))).replace(code, "N")

    assert by_command.issuer == by_page.issuer
    assert text(out.read_bytes(), by_command.code) == text(
        exports.rollup_docx(by_page), by_page.code
    )
    assert "Kinh phí và nhân lực còn hạn chế." in text(out.read_bytes(), by_command.code)


def test_build_rollup_command_bad_input_is_a_clear_message(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có kỳ báo cáo"):
        call_command("build_rollup", committee=str(world["a"]["committee"].pk),
                     period="Năm 1999", out=str(tmp_path / "x.docx"))  # fmt: skip
    with pytest.raises(CommandError, match="không có đơn vị"):
        call_command("build_rollup", committee="Không tồn tại", out=str(tmp_path / "x.docx"))
    assert not RollupReport.objects.exists()


def test_rollup_pdf_is_a_few_pages_and_no_narrative_section_is_empty(world, tmp_path):
    progress_with_texts(world)
    submitted_unit_report(
        world, causes="Một số cấp ủy chưa quan tâm đúng mức.",
        next_steps="Tiếp tục đôn đốc các đơn vị hoàn thành nhiệm vụ.",
    )  # fmt: skip
    # A town's worth of units and long overdue tasks (the demo town has 61 overdue).
    directive = DirectiveFactory(issuer=world["a"]["committee"], issued_on=D(2024, 1, 5))
    long_title = "Tiếp tục lãnh đạo, chỉ đạo thực hiện có hiệu quả các nghị quyết " * 6
    tasks = [
        TaskFactory(directive=directive, section=f"II.{i}", title=long_title, due_on=D(2024, 3, 1))
        for i in range(3)
    ]
    for n in range(20):
        unit = UnitFactory(
            name=f"Đảng ủy phường Phổ Thạnh số {n} thị xã Đức Phổ tỉnh Quảng Ngãi",
            kind=UnitKind.PARTY_COMMITTEE, parent=world["a"]["committee"],
        )  # fmt: skip
        for task in tasks:
            AssignmentFactory(task=task, unit=unit, due_on=D(2024, 3, 1))
    report = build(world)
    pages = docx_pdf_pages(exports.rollup_docx(report), tmp_path)
    text = "\n".join(pages)
    assert len(pages) <= 9, len(pages)  # 29 pages for the demo town before
    appendix = next(i for i, page in enumerate(pages) if "PHỤ LỤC" in page)
    assert appendix <= 3  # the main report: four pages at most
    flat = " ".join(text.split())
    assert NOTHING not in flat
    for heading, expected in [
        ("II. HẠN CHẾ, TỒN TẠI", "Kinh phí và nhân lực còn hạn chế."),
        ("III. NGUYÊN NHÂN", "Một số cấp ủy chưa quan tâm đúng mức."),
        ("IV. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI", "Tiếp tục đôn đốc"),
        ("V. ĐỀ XUẤT, KIẾN NGHỊ", "Đề nghị hỗ trợ tập huấn"),
    ]:
        after = flat[flat.index(heading) :]
        assert expected in after, heading
    main = flat[: flat.index("PHỤ LỤC")]
    assert re.search(r"T/M BAN DÂN VẬN TRƯỞNG BAN", main)
