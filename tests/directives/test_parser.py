"""Directive text import: cleaning, dates, deadlines, codes, references, structure, units,
tasks, news detection, and the five real seed documents against hand-written expectations.

Plain functions, no database: the parser is pure Python.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from directives.importing import (
    UnitRef,
    clean_text,
    fold,
    match_unit,
    normalize_code,
    parse_deadline,
    parse_document,
    parse_vietnamese_date,
    split_unit_list,
)
from directives.importing.evaluate import evaluate, format_report
from directives.importing.parser import find_targets, organ_case
from directives.importing.references import extract_references, kind_from_code

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "sampledata" / "seed_documents"
EXPECTED = Path(__file__).resolve().parent / "expected"
SEED_NAMES = sorted(p.name[: -len(".expected.json")] for p in EXPECTED.glob("*.expected.json"))


def _seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- cleaning


def test_fold_ignores_case_diacritics_and_d_stroke() -> None:
    assert fold("  Dân  vận KHÉO ") == "dan van kheo"
    assert fold("Đảng ủy") == fold("dang uy") == fold("ĐẢNG UỶ")


def test_clean_text_strips_markdown_but_keeps_lone_star_header_marker() -> None:
    text = (
        'TỈNH ỦY X\n*\nphong trào "*Dân vận khéo*" và **quan trọng**\n**T/M BAN THƯỜNG VỤ\nBÍ THƯ**'
    )
    cleaned = clean_text(text)
    lines = cleaned.splitlines()
    assert "*" in lines
    assert 'phong trào "Dân vận khéo" và quan trọng' in cleaned
    assert "T/M BAN THƯỜNG VỤ" in lines and "BÍ THƯ" in lines


def test_clean_text_removes_footnote_marks_glued_to_words() -> None:
    cleaned = clean_text("về công tác dân vận¹. Xem thêm[2] nội dung.\n\n¹ Trọng tâm là: A.")
    assert "dân vận." in cleaned
    assert "Xem thêm nội dung." in cleaned
    # The footnote body keeps its number so the structure parser can set it aside.
    assert "¹ Trọng tâm là: A." in cleaned


def test_clean_text_drops_web_boilerplate_lines() -> None:
    text = (
        "Trang chủ\nhttps://hoilhpn.phuyen.gov.vn\nNGHỊ QUYẾT\nIn bài\nChia sẻ\nNội dung chính.\n"
        "Bạn đã không sử dụng Site, Bấm vào đây để duy trì trạng thái đăng nhập. "
        "Thời gian chờ: 60 giây\nTrang 2/5\n- 3 -\n© 2021 Bản quyền thuộc Tỉnh ủy\n-----"
    )
    cleaned = clean_text(text)
    assert cleaned.splitlines() == ["NGHỊ QUYẾT", "Nội dung chính."]


def test_clean_text_normalises_nfd_crlf_and_nbsp() -> None:
    nfd = unicodedata.normalize("NFD", "Kết\u00a0luận  số 56\r\nvề dân vận")
    cleaned = clean_text(nfd)
    assert cleaned == unicodedata.normalize("NFC", "Kết luận số 56 về dân vận\n")


def test_clean_text_rejoins_sentence_split_by_page_break() -> None:
    cleaned = clean_text("nhiều cơ chế được ban\n\nhành. Quy chế dân chủ.\n\nCâu mới.")
    assert cleaned == "nhiều cơ chế được ban hành. Quy chế dân chủ.\n\nCâu mới.\n"


def test_clean_text_does_not_join_subject_line_to_capital_title() -> None:
    cleaned = clean_text("KẾT LUẬN\n\nvề công tác dân vận")
    assert cleaned.splitlines() == ["KẾT LUẬN", "", "về công tác dân vận"]


# -------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hải Dương, ngày 22 tháng 10 năm 2018", date(2018, 10, 22)),
        ("ngày 03/6/2013", date(2013, 6, 3)),
        ("ngày 03-6-2013", date(2013, 6, 3)),
        ("vào ngày 17/7/2023 tại Hội trường", date(2023, 7, 17)),
        ("14.02.2023", date(2023, 2, 14)),
        ("31/02/2023", None),
        ("năm 2023", None),
    ],
)
def test_vietnamese_dates_in_every_written_form(text: str, expected: date | None) -> None:
    assert parse_vietnamese_date(text) == expected


def test_quarter_deadline_resolves_to_last_day_of_quarter() -> None:
    dl = parse_deadline("Quý III/2023", reference_date=date(2023, 7, 1))
    assert (dl.kind, dl.due) == ("period", date(2023, 9, 30))
    assert parse_deadline("quý 4 năm 2024", reference_date=None).due == date(2024, 12, 31)


def test_half_year_deadlines_resolve_to_june_30_or_december_31() -> None:
    assert parse_deadline("6 tháng cuối năm 2023", reference_date=None).due == date(2023, 12, 31)
    assert parse_deadline("6 tháng đầu năm 2024", reference_date=None).due == date(2024, 6, 30)


def test_before_date_deadline_is_that_date() -> None:
    dl = parse_deadline("hoàn thành trước ngày 15/6/2024", reference_date=None)
    assert (dl.kind, dl.due) == ("date", date(2024, 6, 15))


def test_bare_day_month_takes_the_reference_year() -> None:
    dl = parse_deadline("trước ngày 15/6", reference_date=date(2025, 1, 10))
    assert dl.due == date(2025, 6, 15)


def test_year_and_stage_deadlines_resolve_to_december_31() -> None:
    assert parse_deadline("đến năm 2025", reference_date=None).due == date(2025, 12, 31)
    assert parse_deadline("giai đoạn 2022-2026", reference_date=None).due == date(2026, 12, 31)
    assert parse_deadline("giai đoạn 2022 – 2026", reference_date=None).due == date(2026, 12, 31)


def test_month_deadline_resolves_to_last_day_of_month() -> None:
    assert parse_deadline("tháng 9/2023", reference_date=None).due == date(2023, 9, 30)
    assert parse_deadline("tháng 2 năm 2024", reference_date=None).due == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("hằng tháng", "monthly"),
        ("hàng quý", "quarterly"),
        ("định kỳ 6 tháng", "half-yearly"),
        ("hằng năm", "yearly"),
    ],
)
def test_recurring_deadlines_have_no_due_date(text: str, recurrence: str) -> None:
    dl = parse_deadline(text, reference_date=None)
    assert (dl.kind, dl.due, dl.recurrence) == ("recurring", None, recurrence)


def test_thuong_xuyen_is_an_ongoing_deadline() -> None:
    dl = parse_deadline("thường xuyên", reference_date=None)
    assert (dl.kind, dl.due) == ("ongoing", None)
    assert parse_deadline("không có gì", reference_date=None) is None


# --------------------------------------------------------------------- codes, references


def test_code_spacing_is_normalised() -> None:
    assert normalize_code("56 - KL/TU") == "56-KL/TU"
    assert kind_from_code("11-QĐi/TW") == "QĐi"
    assert kind_from_code("961-CTr/TU") == "CTr"
    assert kind_from_code("13-ĐA/TU") == "ĐA"
    assert kind_from_code("16/CT-TTg") == "CT"


def test_header_code_with_spaces_gives_code_number_and_kind() -> None:
    result = parse_document("TỈNH ỦY HẢI DƯƠNG\n*\nSố 56 - KL/TU\nKẾT LUẬN\nvề dân vận\n")
    assert (result.code, result.number, result.kind) == ("56-KL/TU", "56", "KL")


def test_references_carry_date_issuer_and_term() -> None:
    refs = extract_references(
        "thực hiện Nghị quyết số 25-NQ/TW, ngày 03/6/2013 của Ban Chấp hành Trung ương Đảng "
        "khóa XI về dân vận; Quy định số 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị về tiếp "
        "dân; Kết luận số 43-KL/TW của Ban Bí thư; Quyết định 657-QĐ/TU ngày 4/4/2018 của BTV "
        "Tỉnh ủy về ban hành Quy chế."
    )
    got = [(r.code, r.date, r.issuer, r.term) for r in refs]
    assert got == [
        ("25-NQ/TW", "2013-06-03", "Ban Chấp hành Trung ương Đảng", "XI"),
        ("11-QĐi/TW", "2019-02-18", "Bộ Chính trị", None),
        ("43-KL/TW", None, "Ban Bí thư", None),
        ("657-QĐ/TU", "2018-04-04", "BTV Tỉnh ủy", None),
    ]


def test_references_are_deduplicated_and_completed_by_later_mentions() -> None:
    refs = extract_references(
        "Kết luận số 43-KL/TW của Ban Bí thư. Sau đó Kết luận số 43-KL/TW, ngày 07-01-2019 "
        "của Ban Bí thư Trung ương Đảng khóa XII."
    )
    assert [(r.code, r.date, r.issuer, r.term) for r in refs] == [
        ("43-KL/TW", "2019-01-07", "Ban Bí thư", "XII")
    ]


def test_two_codes_joined_by_va_share_date_and_issuer() -> None:
    refs = extract_references(
        "theo Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày 12-12-2013 của Bộ Chính trị."
    )
    assert [(r.code, r.date, r.issuer) for r in refs] == [
        ("217-QĐ/TW", "2013-12-12", "Bộ Chính trị"),
        ("218-QĐ/TW", "2013-12-12", "Bộ Chính trị"),
    ]


def test_document_does_not_cite_itself() -> None:
    text = (
        "Nghị quyết số 06-NQ/TW, ngày 02/7/2021 của Ban Thường vụ Tỉnh ủy\n\nNGHỊ QUYẾT\n"
        "CỦA BAN THƯỜNG VỤ TỈNH ỦY\nvề dân vận\n\nThực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị.\n"
    )
    result = parse_document(text)
    assert result.code == "06-NQ/TW"
    assert result.issued_on == date(2021, 7, 2)
    assert [r.code for r in result.references] == ["05-CT/TW"]


# -------------------------------------------------------------------------- structure


def test_sections_form_a_tree_of_every_numbering_style() -> None:
    text = (
        "KẾ HOẠCH\nvề dân vận\n\nI- MỤC ĐÍCH\n\n1. Mục tiêu chung\n\n1.1. Nội dung một.\n\n"
        "a) Điểm a.\n\n- Gạch đầu dòng.\n\n+ Ý nhỏ.\n\nII. NHIỆM VỤ\n\n1- Việc một.\n\n"
        "2) Việc hai.\n"
    )
    sections = parse_document(text).to_json()["sections"]

    def shape(nodes: list[dict]) -> list:
        return [(n["label"], shape(n["children"])) for n in nodes]

    assert shape(sections) == [
        ("I", [("1", [("1.1", [("a", [("-", [("+", [])])])])])]),
        ("II", [("1", []), ("2", [])]),
    ]
    assert sections[0]["title"] == "MỤC ĐÍCH"


# ------------------------------------------------------------------------------ units

UNITS = [
    UnitRef(
        id=1,
        name="Ban Dân vận Thị ủy Đức Phổ",
        short_name="Ban Dân vận Thị ủy",
        abbreviation="BDV",
        kind="party_board",
    ),
    UnitRef(
        id=2,
        name="UBND thị xã Đức Phổ",
        aliases=["Ủy ban nhân dân thị xã Đức Phổ"],
        kind="peoples_committee",
    ),
    UnitRef(
        id=3,
        name="Ủy ban Mặt trận Tổ quốc Việt Nam thị xã Đức Phổ",
        abbreviation="UBMTTQ thị xã",
        aliases=["Mặt trận Tổ quốc thị xã"],
        kind="front",
    ),
    UnitRef(
        id=4,
        name="Hội đồng nhân dân thị xã Đức Phổ",
        abbreviation="HĐND thị xã",
        kind="peoples_council",
    ),
    UnitRef(id=5, name="UBND thị xã Sông Cầu", kind="peoples_committee"),
]


def test_unit_matches_by_abbreviation_and_ignores_diacritics() -> None:
    assert match_unit("UBND thi xa Duc Pho", UNITS).id == 2
    assert match_unit("Hội đồng nhân dân thị xã", UNITS).id == 4
    assert match_unit("ban dan van thi uy", UNITS).id == 1
    assert match_unit("Ban Dân vận Tỉnh ủy", UNITS) is None


def test_unit_matches_with_place_from_context() -> None:
    # Two town People's Committees: without the document's place the name is ambiguous.
    assert match_unit("Ủy ban nhân dân thị xã", UNITS) is None
    found = match_unit("Ủy ban nhân dân thị xã", UNITS, context_unit_name="Thị ủy Đức Phổ")
    assert found.id == 2


def test_unknown_unit_is_proposed_as_new_not_dropped() -> None:
    text = (
        "KẾT LUẬN\nCỦA BAN THƯỜNG VỤ THỊ ỦY\nvề dân vận\n\nII- Nhiệm vụ, giải pháp\n\n"
        "1. Ủy ban nhân dân thị xã: Chỉ đạo cải cách hành chính.\n\n"
        "2. Ban Quản lý dự án thị xã chủ trì, phối hợp với Mặt trận Tổ quốc thị xã tuyên truyền.\n"
        "\nNhân dân thị xã Đức Phổ ủng hộ.\n"
    )
    result = parse_document(text, units=UNITS)
    first, second = result.to_json()["tasks"]
    assert first["lead_unit"] == {
        "name": "Ủy ban nhân dân thị xã",
        "unit_id": 2,
        "matched_name": "UBND thị xã Đức Phổ",
        "new": False,
    }
    assert first["lead"] == "UBND thị xã Đức Phổ"
    assert second["lead_unit"]["new"] is True
    assert second["lead"] == "Ban Quản lý dự án thị xã"
    assert second["coordinating_units"][0]["unit_id"] == 3


def test_unit_list_splits_only_where_a_new_body_begins() -> None:
    assert split_unit_list(
        "các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội"
    ) == [
        "các cấp ủy, tổ chức đảng",
        "chính quyền",
        "Mặt trận Tổ quốc",
        "các đoàn thể chính trị - xã hội",
    ]
    assert split_unit_list("Đảng ủy các xã, phường") == ["Đảng ủy các xã, phường"]
    assert split_unit_list("thủ trưởng các sở, ban, ngành, đoàn thể tỉnh") == [
        "thủ trưởng các sở, ban, ngành, đoàn thể tỉnh"
    ]


def test_organ_names_in_capitals_get_their_usual_spelling() -> None:
    assert organ_case("TỈNH ỦY HẢI DƯƠNG") == "Tỉnh ủy Hải Dương"
    assert organ_case("BAN THƯỜNG VỤ THỊ ỦY") == "Ban Thường vụ Thị ủy"
    assert organ_case("ĐẢNG ỦY XÃ CẨM LỘC") == "Đảng ủy xã Cẩm Lộc"


# ------------------------------------------------------------------------------ tasks

_PLAN = """ĐẢNG BỘ TỈNH QUẢNG NGÃI
HUYỆN ỦY SƠN TỊNH
*
Số 12-KH/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Sơn Tịnh, ngày 03 tháng 01 năm 2024

KẾ HOẠCH
thực hiện công tác dân vận năm 2024

I- MỤC ĐÍCH, YÊU CẦU

Nâng cao hiệu quả công tác dân vận.

II- NHIỆM VỤ, GIẢI PHÁP

1. Giao Ủy ban nhân dân huyện chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc huyện,
Hội Nông dân huyện xây dựng kế hoạch,
hoàn thành trước ngày 15/6/2024.

2. Ban Tuyên giáo Huyện ủy tổ chức quán triệt trong Quý III/2024.

3. Các cơ quan, đơn vị thường xuyên tuyên truyền; định kỳ 6 tháng báo cáo kết quả về
Ban Thường vụ Huyện ủy (qua Ban Dân vận Huyện ủy).

4. Phấn đấu đến năm 2025, có 90% xã đạt chuẩn nông thôn mới.

Nơi nhận:
- Ban Dân vận Tỉnh ủy (để b/c),
- Lưu VPHU.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Trần Văn A
"""


def test_header_of_a_two_line_issuer_block() -> None:
    result = parse_document(_PLAN)
    assert (result.issuer, result.place, result.issued_on) == (
        "Huyện ủy Sơn Tịnh",
        "Sơn Tịnh",
        date(2024, 1, 3),
    )
    assert (result.kind, result.code, result.subject) == (
        "KH",
        "12-KH/HU",
        "thực hiện công tác dân vận năm 2024",
    )


def test_giao_x_chu_tri_phoi_hop_voi_y_gives_lead_and_coordinating_units() -> None:
    task = parse_document(_PLAN).to_json()["tasks"][0]
    assert task["section"] == "II.1"
    assert task["lead"] == "Ủy ban nhân dân huyện"
    assert task["coordinating"] == ["Ủy ban Mặt trận Tổ quốc huyện", "Hội Nông dân huyện"]
    assert task["deadline"] == "2024-06-15"


def test_subject_unit_and_quarter_deadline_in_a_task() -> None:
    task = parse_document(_PLAN).to_json()["tasks"][1]
    assert (task["lead"], task["deadline"]) == ("Ban Tuyên giáo Huyện ủy", "2024-09-30")


def test_reporting_duty_with_recurrence_and_channel() -> None:
    task = parse_document(_PLAN).to_json()["tasks"][2]
    assert task["ongoing"] is True
    assert task["recurrence"] == "half-yearly"
    assert task["reporting"] == {
        "text": "định kỳ 6 tháng báo cáo kết quả về Ban Thường vụ Huyện ủy "
        "(qua Ban Dân vận Huyện ủy)",
        "recurrence": "half-yearly",
        "to": ["Ban Thường vụ Huyện ủy"],
        "via": "Ban Dân vận Huyện ủy",
    }


def test_target_inside_a_task_is_structured() -> None:
    result = parse_document(_PLAN).to_json()
    task = result["tasks"][3]
    assert task["deadline"] == "2025-12-31"
    assert task["target"] == {
        "indicator": "xã đạt chuẩn nông thôn mới",
        "value": 90,
        "unit": "%",
        "comparator": ">=",
    }
    assert result["targets"] == ["90% xã đạt chuẩn nông thôn mới"]


def test_goal_section_gives_no_tasks_and_recipients_lose_their_notes() -> None:
    result = parse_document(_PLAN).to_json()
    assert all(t["section"].startswith("II") for t in result["tasks"])
    assert result["recipients"] == ["Ban Dân vận Tỉnh ủy", "Lưu VPHU"]
    assert result["recipient_notes"][0] == {"name": "Ban Dân vận Tỉnh ủy", "note": "để b/c"}
    assert result["signer"] == {
        "on_behalf": "T/M BAN THƯỜNG VỤ",
        "title": "BÍ THƯ",
        "name": "Trần Văn A",
    }


_INSTRUCTION = """HUYỆN ỦY NGHI LỘC
*
Số 05-CT/HU
Nghi Lộc, ngày 12 tháng 3 năm 2024

CHỈ THỊ
của Ban Thường vụ Huyện ủy
về tăng cường công tác dân vận

Ban Thường vụ Huyện ủy yêu cầu các cấp ủy thực hiện tốt các nhiệm vụ sau:

1. Các cấp ủy, tổ chức đảng tổ chức quán triệt Chỉ thị này, hoàn thành trong tháng 4/2024.

2. Ủy ban nhân dân huyện:
a) Xây dựng kế hoạch, trình Ban Thường vụ Huyện ủy trước ngày 30/4/2024.
b) Chỉ đạo các xã phấn đấu đến năm 2025 có trên 95% hộ đạt danh hiệu gia đình văn hóa.

3. Đề nghị Ủy ban Mặt trận Tổ quốc huyện và các đoàn thể huyện hằng quý tổ chức đối thoại.
"""


def test_instruction_with_lettered_items_and_de_nghi_request() -> None:
    result = parse_document(_INSTRUCTION)
    assert result.subject == "về tăng cường công tác dân vận"
    got = [
        (t["section"], t["lead"], t["coordinating"], t["deadline"], t["recurrence"])
        for t in result.to_json()["tasks"]
    ]
    assert got == [
        ("1", "Các cấp ủy, tổ chức đảng", [], "2024-04-30", None),
        ("2.a", "Ủy ban nhân dân huyện", [], "2024-04-30", None),
        ("2.b", "Ủy ban nhân dân huyện", [], "2025-12-31", None),
        ("3", "Ủy ban Mặt trận Tổ quốc huyện", ["các đoàn thể huyện"], None, "quarterly"),
    ]
    assert result.targets == ["trên 95% hộ đạt danh hiệu gia đình văn hóa"]


def test_period_in_a_cited_programme_name_is_not_a_deadline() -> None:
    text = (
        "KẾ HOẠCH\nvề dân vận\n\nI. Nhiệm vụ\n\n"
        "1. Thực hiện Chương trình tổng thể cải cách hành chính giai đoạn 2021-2030.\n\n"
        "2. Hoàn thành việc rà soát trong giai đoạn 2024-2025.\n"
    )
    tasks = parse_document(text).to_json()["tasks"]
    assert [t["deadline"] for t in tasks] == [None, "2025-12-31"]


def test_targets_split_per_percentage() -> None:
    targets = find_targets(
        "Phấn đấu đến năm 2025, có 80% xã đạt chuẩn nông thôn mới, trong đó có 15% xã nông thôn "
        "mới nâng cao, 5% xã nông thôn mới kiểu mẫu; tỷ lệ hài lòng đạt trên 90%."
    )
    assert [t.text for t in targets] == [
        "80% xã đạt chuẩn nông thôn mới",
        "15% xã nông thôn mới nâng cao",
        "5% xã nông thôn mới kiểu mẫu",
        "tỷ lệ hài lòng đạt trên 90%",
    ]
    assert (targets[3].indicator, targets[3].comparator) == ("tỷ lệ hài lòng", ">")


# ------------------------------------------------------------- robustness of the input


def test_nfd_markdown_and_crlf_input_parses_like_the_original() -> None:
    original = parse_document(_seed("004_f63d29f789b56af6")).to_json()
    mangled = unicodedata.normalize("NFD", _seed("004_f63d29f789b56af6")).replace("\n", "\r\n")
    again = parse_document(mangled).to_json()
    assert again["tasks"] == original["tasks"]
    assert again["issuer"] == original["issuer"] == "Ban Thường vụ Thị ủy"


def test_news_report_is_not_a_directive_but_keeps_its_references() -> None:
    result = parse_document(_seed("002_88e453569ce4e8b0"))
    assert result.is_directive is False
    assert result.document_type_guess == "news_report"
    assert {r.code for r in result.references} >= {
        "25-NQ/TW",
        "43-KL/TW",
        "657-QĐ/TU",
        "961-CTr/TU",
    }
    assert result.tasks == []
    assert result.warnings and "bài báo" in result.warnings[0]


def test_empty_text_gives_warnings_not_errors() -> None:
    result = parse_document("")
    assert result.is_directive is False
    assert result.warnings


# ------------------------------------------------------------------------ the seeds


def _compare(expected: object, got: object, path: str) -> list[str]:
    """Differences between the expected JSON and the proposal (keys of `expected` only)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out: list[str] = []
        for key, value in expected.items():
            out += _compare(value, got.get(key), f"{path}.{key}")
        return out
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{path}: {len(expected)} expected, {len(got)} proposed"]
        out = []
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            out += _compare(e, g, f"{path}[{i}]")
        return out
    return [] if expected == got else [f"{path}: expected {expected!r}, got {got!r}"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_document_matches_hand_written_expectation(name: str) -> None:
    expected = json.loads((EXPECTED / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = parse_document(_seed(name)).to_json()
    assert _compare(expected, got, name) == []


def test_all_five_seeds_have_expectations() -> None:
    assert len(SEED_NAMES) == 5


def test_evaluate_on_the_seeds_gives_perfect_f1() -> None:
    report = evaluate(EXPECTED, texts_dir=SEEDS)
    text = format_report(report)
    assert report["overall"]["f1"] == 1.0
    assert text.splitlines()[-1] == "overall F1: 1.000"


def test_evaluate_counts_a_wrong_lead_as_false_positive_and_negative(tmp_path: Path) -> None:
    name = "004_f63d29f789b56af6"
    expected = json.loads((EXPECTED / f"{name}.expected.json").read_text(encoding="utf-8"))
    expected["tasks"][0]["lead"] = "Ban Tuyên giáo Thị ủy"
    expected["place"] = None
    (tmp_path / f"{name}.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    (tmp_path / f"{name}.txt").write_text(_seed(name), encoding="utf-8")
    report = evaluate(tmp_path)
    assert report["fields"]["tasks.lead"]["fp"] == 1
    assert report["fields"]["tasks.lead"]["fn"] == 1
    assert report["fields"]["place"]["fp"] == 1
    assert report["overall"]["f1"] < 1.0
    assert format_report(report).splitlines()[-1].startswith("overall F1: 0.9")
