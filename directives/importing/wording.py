"""Words and phrases the readers share: organ names in capitals, body names at the start of
a sentence ("Ban Tuyên giáo Tỉnh ủy chỉ đạo ..."), sentences."""

from __future__ import annotations

import re

from .cleaning import fold
from .units import starts_with_head

# Words that end the name of a body in "X chủ trì", "yêu cầu X cần ...". Folded.
VERB_STOPS = [
    "can",
    "phai",
    "tap trung",
    "thuc hien",
    "trien khai",
    "nghiem tuc",
    "chu tri",
    "tiep tuc",
    "lanh dao",
    "chi dao",
    "tang cuong",
    "cu the hoa",
    "thuong xuyen",
    "phoi hop",
    "tham muu",
    "xay dung ke hoach",
    "xay dung va",
    "theo doi",
    "quan tam",
    "day manh",
    "nang cao",
    "truc tiep",
    "chiu trach nhiem",
    "co trach nhiem",
    "khan truong",
    "chu dong",
    "ra soat",
    "huong dan",
    "phat huy",
    "doi moi",
    "kiem tra",
    "giam sat",
    "bam sat",
    "quan triet",
    "nghien cuu",
    "ban hanh",
    "kip thoi",
    "can cu",
    "lam tot",
    "phan dau",
    "don doc",
    "tuyen truyen",
    "van dong",
    "bao cao",
    "giup",
    "hoan thanh",
    "bao dam",
    "dam bao",
    "som",
    "dinh ky",
    "ket qua",
    "tham gia",
    "chi dao,",
    "xem xet",
    "to chuc thuc hien",
    "to chuc trien khai",
    "to chuc quan triet",
    "to chuc hoc tap",
    "to chuc pho bien",
    "gui den",
    "to chuc so ket",
    "to chuc tong ket",
    "to chuc hoi nghi",
    "to chuc doi thoai",
    "hang quy",
    "hang nam",
    "hang thang",
    "moi nam",
]
# A stop word right after one of these is part of a name ("Ban Chỉ đạo", "Ủy ban Kiểm tra").
NOUN_BEFORE = {"ban", "to", "doan", "bo", "phong", "hoi dong", "cuc", "vu"}


_ORG_CASE = {
    "ban thường vụ": "Ban Thường vụ",
    "ban chấp hành": "Ban Chấp hành",
    "ban dân vận": "Ban Dân vận",
    "ban tuyên giáo": "Ban Tuyên giáo",
    "ban tổ chức": "Ban Tổ chức",
    "ban nội chính": "Ban Nội chính",
    "ban bí thư": "Ban Bí thư",
    "ban chỉ đạo": "Ban Chỉ đạo",
    "ban cán sự đảng": "Ban cán sự đảng",
    "bộ chính trị": "Bộ Chính trị",
    "ủy ban nhân dân": "Ủy ban nhân dân",
    "uỷ ban nhân dân": "Uỷ ban nhân dân",
    "hội đồng nhân dân": "Hội đồng nhân dân",
    "ủy ban kiểm tra": "Ủy ban Kiểm tra",
    "uỷ ban kiểm tra": "Uỷ ban Kiểm tra",
    "mặt trận tổ quốc": "Mặt trận Tổ quốc",
    "văn phòng": "Văn phòng",
    "chủ tịch": "Chủ tịch",
    "thủ tướng": "Thủ tướng",
    "chính phủ": "Chính phủ",
    "ban thường trực": "Ban Thường trực",
    "thường trực": "Thường trực",
    "ủy ban": "Ủy ban",
    "uỷ ban": "Uỷ ban",
    "việt nam": "Việt Nam",
    "trung ương": "Trung ương",
    "tỉnh ủy": "Tỉnh ủy",
    "tỉnh uỷ": "Tỉnh uỷ",
    "thành ủy": "Thành ủy",
    "thành uỷ": "Thành uỷ",
    "huyện ủy": "Huyện ủy",
    "huyện uỷ": "Huyện uỷ",
    "thị ủy": "Thị ủy",
    "thị uỷ": "Thị uỷ",
    "quận ủy": "Quận ủy",
    "quận uỷ": "Quận uỷ",
    "đảng ủy": "Đảng ủy",
    "đảng uỷ": "Đảng uỷ",
    "đảng bộ": "Đảng bộ",
    "đảng đoàn": "Đảng đoàn",
    "chi bộ": "Chi bộ",
    "thành phố": "thành phố",
    "thị xã": "thị xã",
    "thị trấn": "thị trấn",
    "tỉnh": "tỉnh",
    "huyện": "huyện",
    "quận": "quận",
    "xã": "xã",
    "phường": "phường",
    "đảng": "Đảng",
    "của": "của",
    "và": "và",
}


def organ_case(text: str) -> str:
    """Spell an organ name printed in capitals the usual way ("TỈNH ỦY HẢI DƯƠNG")."""
    words = text.strip().lower().split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            chunk = " ".join(words[i : i + size])
            if len(words[i : i + size]) == size and chunk in _ORG_CASE:
                out.append(_ORG_CASE[chunk])
                i += size
                break
        else:
            out.append(words[i][:1].upper() + words[i][1:])
            i += 1
    result = " ".join(out)
    return result[:1].upper() + result[1:]


def is_upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_person_name(line: str) -> bool:
    """ "Nguyễn Mạnh Hiển": 2-5 capitalised words, not all capitals, no digits."""
    words = line.split()
    return (
        2 <= len(words) <= 5
        and all(w[:1].isupper() and w.isalpha() for w in words)
        and not is_upper_line(line)
    )


def unit_span(text: str, *, require_stop: bool = True, max_words: int = 30) -> str | None:
    """The name of the body(ies) at the start of `text`, cut before the first verb.

    Returns None when `text` does not start with a head word, or (when `require_stop`)
    when no verb follows within `max_words` words: then it is not a "X does Y" sentence.
    """
    text = text.strip()
    if not starts_with_head(text):
        return None
    tokens = list(re.finditer(r"\S+", text))
    folded = [fold(t.group(0)).strip(",;:.") for t in tokens]
    for i in range(1, min(len(tokens), max_words + 1)):
        prev = folded[i - 1]
        prev2 = " ".join(folded[max(0, i - 2) : i])
        if (prev in NOUN_BEFORE or prev2 in NOUN_BEFORE) and prev2 != "noi vu":
            continue
        for stop in VERB_STOPS:
            stop_words = stop.split()
            if folded[i : i + len(stop_words)] == stop_words:
                # "các tổ chức chính trị" is a noun, "tổ chức thực hiện" a verb.
                span = text[: tokens[i].start()].strip(" ,;:")
                # "Các phong trào ... được đẩy mạnh" describes, it does not assign.
                if re.search(r"\s(được|là|bị|đã|đang|sẽ|còn|chưa|vừa)\s", " " + span + " "):
                    return None
                return span or None
        if tokens[i - 1].group(0).endswith((".", ":")):
            break
    if require_stop:
        return None
    return text.strip(" ,;:.")


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ\"“])", text)
    return [p.strip() for p in parts if p.strip()]


# Abbreviations in names of bodies, longest first, and their full spelling.
_ABBREVIATIONS = [
    ("TTUBMTTQ", "Thường trực Ủy ban Mặt trận Tổ quốc"),
    ("UBMTTQVN", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("MTTQVN", "Mặt trận Tổ quốc Việt Nam"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("BCH", "Ban Chấp hành"),
    ("BTV", "Ban Thường vụ"),
]


def expand_abbreviations(name: str) -> str:
    """ "UBND tỉnh Đắk Nông" → "Ủy ban nhân dân tỉnh Đắk Nông" (whole words only)."""
    for abbr, full in _ABBREVIATIONS:
        name = re.sub(r"(?<![\wÀ-ỹ])" + abbr + r"(?![\wÀ-ỹ])", full, name)
    return name
