"""Copies of a web page: what the page says about the document when it has no letterhead.

* Aggregator metadata ("Số hiệu: 172/KH-UBND", "Ngày ban hành: 26/06/2023", "Loại văn
  bản: Kế hoạch"; several fields may share a line) fills a number, date or type the text
  lacks. "Văn bản khác" is no type; "Nơi ban hành"/"Cơ quan ban hành" name a place or an
  organ in the aggregator's words and are not used as the issuer.
* A news lead that announces the document: "Ngày 08/02/2018, Ban Dân vận Trung ương và Ban
  cán sự đảng Chính phủ đã ký kết Kế hoạch số 1573-KH/BDVTW-BCSĐCP thực hiện …", "UBND tỉnh
  X vừa có Công văn số 1613/UBND-KGVX về việc …", "Sở … ban hành Kế hoạch thực hiện …". It
  gives the type, number, date (only the "Ngày …," that opens that sentence), issuer
  (abbreviations expanded) and subject (up to "nhằm", "với", "(", ";" or the sentence end).
* Otherwise the subject is the page headline (the first line that is not page chrome).
* Page chrome is never a date: "Thứ Tư, 24/7/2024", "Thứ sáu - 01/04/2022 09:18 816 0",
  "Cập nhật ngày: 19/04/2018 | 09:11", a bare "01/03/2018".
"""

from __future__ import annotations

import re

from .dates import parse_vietnamese_date
from .references import (
    CODE_RE,
    DOC_WORDS,
    code_number,
    kind_from_code,
    kind_from_title,
    normalize_code,
)
from .result import ParseResult
from .units import starts_with_head
from .wording import expand_abbreviations

_CHROME = re.compile(
    r"^(?:Thứ\s+(?:Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ\s+nhật)\b.*\d{1,2}/\d{1,2}/\d{2,4}"
    r"|^(?:Cập nhật|Ngày đăng|Đăng ngày|Ngày cập nhật)\b.*\d"
    r"|^\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2})?$",
    re.IGNORECASE,
)
_META_FIELD = re.compile(
    r"(?P<key>Số hiệu|Loại văn bản|Ngày ban hành|Nơi ban hành|Cơ quan ban hành|Người ký"
    r"|Ngày có hiệu lực|Ngày hiệu lực|Lĩnh vực|Ngày công báo|Số công báo|Tình trạng)"
    r"\s*:?\s*(?P<value>.*?)\s*(?=(?:Số hiệu|Loại văn bản|Ngày ban hành|Nơi ban hành"
    r"|Cơ quan ban hành|Người ký|Ngày có hiệu lực|Ngày hiệu lực|Lĩnh vực|Ngày công báo"
    r"|Số công báo|Tình trạng)\b|$)"
)
_VERB = (
    r"(?:(?:đã|vừa|mới)\s+)?(?:chính thức\s+)?(?:ban hành|ký kết|ký|có|xây dựng|phê duyệt)"
    r"\s+(?P<draft>dự thảo\s+)?"
)
_ANNOUNCE = re.compile(
    r"(?P<before>.*?)\s+" + _VERB + r"(?P<kind>" + DOC_WORDS + r")\b(?P<rest>.*)$"
)
_SUBJECT_END = re.compile(r";|\.(?:\s|$)|\s+nhằm\s|\s+\(|,?\s+với\s|,\s*theo đó|$")
_OPENING_DATE = re.compile(r"^Ngày\s+(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})\s*,\s*")


def is_chrome(line: str) -> bool:
    """A page date, update time or counter line, never part of the document."""
    return bool(_CHROME.match(line.strip()))


def headline(lines: list[str]) -> tuple[int, str] | None:
    """The page headline: the first line that is not chrome, short enough for a title."""
    for i, line in enumerate(lines[:4]):
        if is_chrome(line) or re.fullmatch(r"[\d.,\s]+", line):
            continue
        if len(line) <= 220 and not line.rstrip().endswith((".", ";", ":")):
            return i, line.strip()
        return None
    return None


def read_metadata(lines: list[str], res: ParseResult) -> None:
    """Fill number, date and type from an aggregator's metadata block."""
    for line in lines[:40]:
        for m in _META_FIELD.finditer(line):
            key, value = m.group("key").lower(), m.group("value").strip(" :")
            if key == "số hiệu" and not res.code:
                code = CODE_RE.match(value)
                if code:
                    res.code = normalize_code(code.group(0))
            elif key == "ngày ban hành" and not res.issued_on:
                res.issued_on = parse_vietnamese_date("ngày " + value)
            elif key == "loại văn bản" and not res.kind:
                res.kind = kind_from_title(value)
    res.kind = res.kind or kind_from_code(res.code)
    res.number = res.number or code_number(res.code)


def _issuer_before(before: str) -> str | None:
    """The longest tail of `before` (cut at commas) that names a body."""
    pieces = before.split(",")
    for i in range(len(pieces)):
        tail = ",".join(pieces[i:]).strip()
        tail = re.sub(r"^(?:theo đó|đồng thời|mới đây|vừa qua)\s*,?\s*", "", tail, flags=re.I)
        if tail and starts_with_head(tail) and len(tail.split()) <= 16:
            return tail
    return None


def read_announcement(lines: list[str], res: ParseResult) -> bool:
    """Type, number, date, issuer and subject from a sentence announcing the document in
    the first lines of a page; True when one was found."""
    for line in lines[:6]:
        if is_chrome(line):
            continue
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ])", line):
            m = _ANNOUNCE.match(sentence)
            if not m:
                continue
            before = m.group("before")
            date = _OPENING_DATE.match(before)
            if date:
                before = before[date.end() :]
            issuer = _issuer_before(before)
            if not issuer:
                continue
            rest = m.group("rest")
            code_m = re.match(r"\s+(?:số\s+)?(" + CODE_RE.pattern + r")", rest)
            if code_m:
                res.code = res.code or normalize_code(code_m.group(1))
                res.number = res.number or code_number(res.code)
                rest = rest[code_m.end() :]
            if not m.group("draft"):
                res.kind = res.kind or kind_from_code(res.code) or kind_from_title(m.group("kind"))
            if date and not res.issued_on:
                res.issued_on = parse_vietnamese_date("ngày " + date.group(1))
            res.issuer = res.issuer or expand_abbreviations(issuer)
            rest = rest.strip()
            if rest and rest[:1].islower() and not m.group("draft") and not res.subject:
                end = _SUBJECT_END.search(rest)
                subject = rest[: end.start()] if end else rest
                if len(subject.split()) >= 2 and not subject.startswith("với "):
                    res.subject = subject.strip(" ,")
            return True
    return False


def read_web_copy(lines: list[str], res: ParseResult) -> int | None:
    """Fill the header fields of a page with no letterhead; the index where its body
    starts when the page announces a document, else None."""
    found = read_announcement(lines, res)
    head = headline(lines)
    if head and not res.subject and (found or res.code):
        res.subject = head[1]
    if not found:
        return None
    return head[0] + 1 if head else 0
