"""Document shapes beyond the seeds' local Party layout, each in a small text of its own:
State letterheads, joint issuers, flattened two-column headers, web copies, blank numbers,
references, leads given in a preamble, abbreviations of bodies. Pure Python, no database."""

from __future__ import annotations

from datetime import date

from directives.importing import UnitRef, match_unit, parse_document
from directives.importing.references import extract_cited_titles, extract_references
from directives.importing.wording import expand_abbreviations
from directives.management.commands.parse_directive import summary

# ----------------------------------------------------------------------- State layout

STATE_PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ NAM
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 19/KH-UBND
Hà Nam, ngày 05 tháng 3 năm 2024
KẾ HOẠCH
THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM 2024
Thực hiện Kế hoạch số 12-KH/TU ngày 10/01/2024 của Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành
Kế hoạch thực hiện công tác dân vận chính quyền năm 2024 như sau:
I. NHIỆM VỤ
1. Sở Nội vụ chủ trì, phối hợp với Ban Dân vận Tỉnh ủy hướng dẫn các huyện xây dựng mô hình \
"Dân vận khéo" trong quý II năm 2024.
"""


def test_state_layout_takes_the_issuing_body_on_the_left_never_the_motto() -> None:
    result = parse_document(STATE_PLAN)
    assert result.issuer == "Ủy ban nhân dân tỉnh Hà Nam"
    assert result.code == "19/KH-UBND"
    assert result.kind == "KH"
    assert result.issued_on == date(2024, 3, 5)
    assert result.subject == "THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM 2024"
    assert result.issuers == []
    task = result.tasks[0]
    assert task.lead.name == "Sở Nội vụ"
    assert [c.name for c in task.coordinating] == ["Ban Dân vận Tỉnh ủy"]


def test_state_directive_of_the_prime_minister_with_a_year_in_its_number() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n********\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n********\nSố: 18/2000/CT-TTg\n"
        "Hà Nội, ngày 21 tháng 9 năm 2000\nCHỈ THỊ\nVỀ TĂNG CƯỜNG CÔNG TÁC DÂN VẬN\n"
        "Các Bộ, ngành cần quán triệt sâu sắc quan điểm của Đảng về công tác dân vận.\n"
    )
    result = parse_document(text)
    assert (result.issuer, result.code, result.kind) == (
        "Thủ tướng Chính phủ",
        "18/2000/CT-TTg",
        "CT",
    )
    assert result.issued_on == date(2000, 9, 21)
    assert result.subject == "VỀ TĂNG CƯỜNG CÔNG TÁC DÂN VẬN"


def test_a_decision_is_issued_by_its_enacting_authority() -> None:
    text = (
        "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 40-QĐ/TW\n"
        "Hà Nội, ngày 02 tháng 8 năm 2022\nQUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH QUY ĐỊNH MẪU\n"
        "- Căn cứ Điều lệ Đảng;\nBAN BÍ THƯ QUYẾT ĐỊNH\n"
        "Điều 1. Ban hành kèm theo Quyết định này Quy định mẫu.\n"
        "Điều 2. Các tỉnh ủy, thành ủy có trách nhiệm thi hành Quyết định này.\n"
    )
    result = parse_document(text)
    assert result.issuer == "Ban Bí thư"
    assert result.code == "40-QĐ/TW"
    assert [t.lead_text for t in result.tasks] == ["Các tỉnh ủy, thành ủy"]
    assert result.tasks[0].text.startswith("Các tỉnh ủy, thành ủy có trách nhiệm")


# ------------------------------------------------------------------- joint documents

JOINT_RULES = """ỦY BAN NHÂN DÂN - ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM | \
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
Số: 01/QCPH/UBND-UBMTTQ | Lâm Đồng, ngày 14 tháng 02 năm 2023 |
QUY CHẾ
PHỐI HỢP CÔNG TÁC GIỮA ỦY BAN NHÂN DÂN TỈNH VÀ ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH
Để tăng cường quan hệ phối hợp giữa Ủy ban nhân dân tỉnh và Ủy ban Mặt trận Tổ quốc Việt Nam
tỉnh, hai bên thống nhất ban hành Quy chế phối hợp như sau:
"""


def test_joint_issuers_each_take_the_place_of_the_date_line() -> None:
    result = parse_document(JOINT_RULES)
    assert result.issuers == [
        "Ủy ban nhân dân tỉnh Lâm Đồng",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lâm Đồng",
    ]
    assert result.issuer == " và ".join(result.issuers)
    assert result.code == "01/QCPH/UBND-UBMTTQ"
    assert result.issued_on == date(2023, 2, 14)
    assert result.to_json()["issuers"] == result.issuers


def test_three_issuers_share_the_place_printed_after_the_last() -> None:
    text = (
        "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN - ỦY BAN NHÂN DÂN - BAN THƯỜNG TRỰC ỦY BAN MẶT TRẬN "
        "TỔ QUỐC VIỆT NAM HUYỆN ĐỨC TRỌNG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 07/QCPH-HĐND-UBND-MTTQ\n"
        "Đức Trọng, ngày 02 tháng 11 năm 2022\nQUY CHẾ\nPHỐI HỢP CÔNG TÁC\n"
    )
    result = parse_document(text)
    assert result.issuers == [
        "Thường trực Hội đồng nhân dân huyện Đức Trọng",
        "Ủy ban nhân dân huyện Đức Trọng",
        "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam huyện Đức Trọng",
    ]
    assert result.code == "07/QCPH-HĐND-UBND-MTTQ"


def test_joint_party_code_keeps_both_issuers_codes() -> None:
    refs = extract_references(
        "Căn cứ Chương trình phối hợp số 79-CTr/BDVTW-BCSĐCP ngày 11/10/2016 giữa hai bên."
    )
    assert [(r.code, r.date) for r in refs] == [("79-CTr/BDVTW-BCSĐCP", "2016-10-11")]


# ------------------------------------------------------- flattened two-column headers


def test_flattened_header_with_cells_broken_words_and_nbsp() -> None:
    text = (
        "ỦY\nBAN NHÂN DÂN HUYỆN LẠC DƯƠNG\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\n"
        "Số:\n25/KH-UBND\n|\nLạc\nDương,\u00a0ngày 10 tháng 4 năm 2023\n|\n"
        "KẾ HOẠCH\nTRIỂN KHAI CÔNG TÁC DÂN VẬN\n"
    )
    result = parse_document(text)
    assert result.issuer == "Ủy ban nhân dân huyện Lạc Dương"
    assert result.code == "25/KH-UBND"
    assert (result.place, result.issued_on) == ("Lạc Dương", date(2023, 4, 10))


def test_place_and_date_glued_to_the_issuer_cell() -> None:
    text = (
        "TỈNH ỦY LÂM ĐỒNG Đà Lạt, ngày 03 tháng 5 năm 2023\n*\nSố 88-KH/TU\n"
        "KẾ HOẠCH\nvề công tác dân vận năm 2023\n"
    )
    result = parse_document(text)
    assert result.issued_on == date(2023, 5, 3)
    assert result.code == "88-KH/TU"


# ------------------------------------------------------------------------ web copies


def test_aggregator_metadata_fills_what_the_text_lacks_but_not_a_generic_type() -> None:
    text = (
        "Số hiệu: 45/KH-UBND Loại văn bản: Văn bản khác\n"
        "Nơi ban hành: Tỉnh Lâm Đồng Ngày ban hành: 12/06/2023\n"
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 45/KH-UBND\nLâm Đồng, ngày tháng 6 năm 2023\nKẾ HOẠCH\nVỀ DÂN VẬN CHÍNH QUYỀN\n"
    )
    result = parse_document(text)
    assert result.kind == "KH"
    assert result.issued_on == date(2023, 6, 12)
    assert result.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"


def test_news_title_line_gives_number_date_issuer_and_subject_not_the_page_date() -> None:
    text = (
        "Thứ Tư, 24/7/2024\n"
        "Kế hoạch số 82-KH/BDVTW ngày 18/5/2023 của Ban Dân vận Trung ương về triển khai "
        "phong trào thi đua Dân vận khéo\n\n"
        "Ban Dân vận Trung ương đề nghị Ban Dân vận các tỉnh ủy, thành ủy tiếp tục triển "
        "khai phong trào.\n"
    )
    result = parse_document(text)
    assert result.code == "82-KH/BDVTW"
    assert result.issued_on == date(2023, 5, 18)
    assert result.issuer == "Ban Dân vận Trung ương"
    assert result.subject == "về triển khai phong trào thi đua Dân vận khéo"
    assert [t.lead_text for t in result.tasks] == ["Ban Dân vận các tỉnh ủy, thành ủy"]


def test_news_lead_announcing_a_document_with_abbreviated_issuer() -> None:
    text = (
        "Đẩy mạnh công tác dân vận chính quyền\n\n"
        "Cập nhật ngày: 19/04/2024 | 09:11 GMT+7\n\n"
        "Ngày 15/4/2024, UBND tỉnh Lâm Đồng đã ban hành Công văn số 2045/UBND-NC về việc "
        "tăng cường công tác dân vận chính quyền (Công văn số 2045).\n\n"
        "Theo đó, UBND tỉnh yêu cầu các sở, ban, ngành nghiêm túc thực hiện công văn.\n"
    )
    result = parse_document(text)
    assert result.is_directive
    assert result.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert result.code == "2045/UBND-NC"
    assert result.kind == "CV"
    assert result.issued_on == date(2024, 4, 15)
    assert result.subject == "về việc tăng cường công tác dân vận chính quyền"
    assert result.references == []
    assert [t.lead_text for t in result.tasks] == ["các sở, ban, ngành"]


def test_news_page_without_an_announcement_takes_its_headline_only_when_a_document_is_named() -> (
    None
):
    text = "Hội nghị tổng kết\n\nChiều 25/8, Tỉnh ủy tổ chức hội nghị tổng kết công tác.\n"
    result = parse_document(text)
    assert result.is_directive is False
    assert result.subject is None


# --------------------------------------------------------------------- blank numbers


def test_blank_number_is_no_number_but_date_and_issuer_are_read() -> None:
    text = (
        "TỈNH ỦY HÀ TĨNH\nBAN CHỈ ĐẠO\n*\nSố      -KH/BCĐ\nHà Tĩnh, ngày 02 tháng 3 năm 2024\n"
        "KẾ HOẠCH\nvề kiểm tra công tác dân vận\n"
    )
    result = parse_document(text)
    assert result.code is None
    assert result.issued_on == date(2024, 3, 2)
    assert result.issuer == "Ban Chỉ đạo"
    assert "Không tìm thấy số hiệu văn bản." in result.warnings


# ------------------------------------------------------------------------ references


def test_references_share_a_date_take_dashed_dates_and_a_comma_before_the_date() -> None:
    refs = extract_references(
        "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị; "
        "Chỉ thị số 16-CT/TU ngày 14-10-1999; Kế hoạch số 147-KH/BDVTW, ngày 19/5/2015."
    )
    assert [(r.code, r.date) for r in refs] == [
        ("217-QĐ/TW", "2013-12-12"),
        ("218-QĐ/TW", "2013-12-12"),
        ("16-CT/TU", "1999-10-14"),
        ("147-KH/BDVTW", "2015-05-19"),
    ]


def test_shortened_repeat_resolves_to_the_full_reference_and_a_bare_number_stays() -> None:
    refs = extract_references(
        "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013; sơ kết Nghị quyết số 25 và "
        "Kết luận số 01 của Bộ Chính trị."
    )
    assert [(r.code, r.kind) for r in refs] == [("25-NQ/TW", "NQ"), ("01", "KL")]


def test_unnumbered_bases_are_kept_with_their_title_and_date() -> None:
    cited = extract_cited_titles(
        "- Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\n"
        "- Căn cứ Điều lệ Đảng;\n"
        "- Căn cứ Quy chế làm việc của Ban Chấp hành Trung ương, Bộ Chính trị và Ban Bí thư;\n"
        "- Căn cứ yêu cầu, nhiệm vụ công tác dân vận,\n"
        "- Căn cứ Quyết định số 23-QĐ/TW ngày 30/7/2021;\n"
        "Thực hiện Nghị quyết Đại hội XIII của Đảng, Ban Thường vụ ban hành Kế hoạch.\n"
    )
    assert cited == [
        {"title": "Luật Tổ chức chính quyền địa phương", "date": "2015-06-19"},
        {"title": "Điều lệ Đảng", "date": None},
        {
            "title": "Quy chế làm việc của Ban Chấp hành Trung ương, Bộ Chính trị và Ban Bí thư",
            "date": None,
        },
        {"title": "Nghị quyết Đại hội XIII của Đảng", "date": None},
    ]


def test_parse_directive_summary_lists_unnumbered_bases() -> None:
    text = JOINT_RULES.replace(
        "Để tăng cường", "Căn cứ Luật Mặt trận Tổ quốc Việt Nam ngày 09/6/2015;\nĐể tăng cường"
    )
    lines = summary(parse_document(text).to_json()).splitlines()
    assert "  - Luật Mặt trận Tổ quốc Việt Nam ngày 09/06/2015 (không số)" in lines
    assert "Cơ quan ban hành: Ủy ban nhân dân tỉnh Lâm Đồng và Ủy ban Mặt trận" in "\n".join(lines)


# ---------------------------------------------------------------- leads in a preamble


def test_preamble_request_makes_every_numbered_item_theirs() -> None:
    text = (
        "BAN DÂN VẬN TRUNG ƯƠNG\n*\nSố 120-CV/BDVTW\nHà Nội, ngày 04 tháng 3 năm 2024\n"
        "V/v triển khai phong trào\nKính gửi: Ban Dân vận các tỉnh ủy, thành ủy\n"
        "Ban Dân vận Trung ương đề nghị Ban Dân vận các tỉnh ủy, thành ủy triển khai thực "
        "hiện một số nhiệm vụ sau:\n"
        "1. Tuyên truyền sâu rộng phong trào thi đua.\n"
        "2. Sơ kết phong trào, báo cáo trước ngày 30/11/2024.\n"
    )
    result = parse_document(text)
    assert len(result.tasks) == 2
    assert {t.lead.name for t in result.tasks} == {"Ban Dân vận các tỉnh ủy"}
    assert result.tasks[1].deadline.due == date(2024, 11, 30)


def test_giao_cho_a_b_and_others_makes_a_lead_and_b_coordinating() -> None:
    text = (
        "TỈNH ỦY LÂM ĐỒNG\n*\nSố 15-KH/TU\nĐà Lạt, ngày 02 tháng 3 năm 2024\nKẾ HOẠCH\n"
        "về dân vận\nI. NHIỆM VỤ\n"
        "1. Giao cho Ban Dân vận Tỉnh ủy, Ban Tuyên giáo Tỉnh ủy và các cơ quan liên quan "
        "theo dõi, đôn đốc việc thực hiện.\n"
    )
    task = parse_document(text).tasks[0]
    assert task.lead.name == "Ban Dân vận Tỉnh ủy"
    assert [c.name for c in task.coordinating] == [
        "Ban Tuyên giáo Tỉnh ủy",
        "các cơ quan liên quan",
    ]


# --------------------------------------------------------------------- abbreviations


def test_abbreviations_expand_for_names_and_for_matching_units() -> None:
    assert expand_abbreviations("UBND tỉnh Lâm Đồng") == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert expand_abbreviations("Ban Thường trực UBMTTQ tỉnh") == (
        "Ban Thường trực Ủy ban Mặt trận Tổ quốc tỉnh"
    )
    assert expand_abbreviations("HĐND và UBND huyện") == (
        "Hội đồng nhân dân và Ủy ban nhân dân huyện"
    )
    units = [
        UnitRef(id=1, name="Ủy ban nhân dân tỉnh Lâm Đồng"),
        UnitRef(id=2, name="Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lâm Đồng"),
    ]
    assert match_unit("UBND tỉnh Lâm Đồng", units).id == 1
    assert match_unit("UBMTTQVN tỉnh Lâm Đồng", units).id == 2
