"""Document codes (số hiệu) and citations of other directives.

A party code is "number - type / issuer" ("56-KL/TU", "11-QĐi/TW", written with any
spacing: "Số 56 - KL/TU"); a state code is "number/type-issuer" ("16/CT-TTg",
"05/2023/NĐ-CP"). `normalize_code` removes the spacing; `kind_from_code` reads the type.

A reference is a citation such as "Nghị quyết số 25-NQ/TW, ngày 03/6/2013 của Ban Chấp
hành Trung ương Đảng khóa XI". Its issuer is the text after "của" up to the first word
that starts the subject or an action ("về", "thực hiện", "ban hành", a comma ...); the
committee term ("khóa XI", "(khóa XI)") is cut off the issuer and kept as `term`.
References are de-duplicated by code; a later citation fills a date or issuer the first
one lacked. In "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày 12-12-2013 của
Bộ Chính trị" the date and issuer are shared by both codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import parse_vietnamese_date

# Abbreviation → (canonical abbreviation, title word). Order matters for title lookup:
# longer titles first ("CHƯƠNG TRÌNH HÀNH ĐỘNG" before "CHƯƠNG TRÌNH").
KINDS: list[tuple[str, str]] = [
    ("NQ", "Nghị quyết"),
    ("KL", "Kết luận"),
    ("CT", "Chỉ thị"),
    ("QĐi", "Quy định"),
    ("QĐ", "Quyết định"),
    ("QC", "Quy chế"),
    ("KH", "Kế hoạch"),
    ("CTr", "Chương trình hành động"),
    ("CTr", "Chương trình"),
    ("CV", "Công văn"),
    ("TB", "Thông báo"),
    ("HD", "Hướng dẫn"),
    ("ĐA", "Đề án"),
    ("BC", "Báo cáo"),
]
KIND_ABBREVIATIONS = {abbr for abbr, _ in KINDS}
_KIND_BY_FOLDED_ABBR = {}
for _abbr, _ in KINDS:
    _KIND_BY_FOLDED_ABBR.setdefault(_abbr.replace("Đ", "D").lower(), _abbr)

DOC_WORDS = (
    r"Nghị quyết|Kết luận|Chỉ thị|Quyết định|Quy định|Quy chế|Kế hoạch|Chương trình hành động"
    r"|Chương trình|Công văn|Thông báo|Hướng dẫn|Đề án|Báo cáo|Thông tri|Nghị định|Thông tư|Luật"
)

_PARTY_CODE = (
    r"(?P<num>\d{1,5})\s*-\s*(?P<type>[A-ZĐ][A-Za-zĐđ]{0,4})\s*/\s*(?P<iss>[A-ZĐ][A-ZĐa-zđ]{0,7})"
)
_STATE_CODE = (
    r"(?P<snum>\d{1,5})\s*/\s*(?:\d{4}\s*/\s*)?(?P<stype>[A-ZĐ][A-Za-zĐđ]{0,4})"
    r"\s*-\s*(?P<siss>[A-ZĐ][A-Za-zĐđ0-9]{0,9}(?:-[A-ZĐ][A-Za-zĐđ0-9]{0,9})?)"
)
CODE_RE = re.compile(r"(?<![\w/-])(?:" + _PARTY_CODE + r"|" + _STATE_CODE + r")(?![\w])")

_CITATION_RE = re.compile(
    r"(?P<word>"
    + DOC_WORDS
    + r")(?:\s+[\wÀ-ỹ]+){0,4}?\s+(?:số\s+)?(?P<code>"
    + CODE_RE.pattern
    + r")",
    re.IGNORECASE,
)

_ISSUER_STOP = re.compile(
    r"\s+(?:về|thực hiện|ban hành|hướng dẫn|nhằm|triển khai|đối với|trong|tại|để|gắn|và các"
    r"|cụ thể hóa|tiếp tục|quy định|(?:\(\s*)?kh[oó][aá]\s+[IVXLC]+)\b"
    r"|\s*[,;:.(“\"”]|$",
    re.IGNORECASE,
)
_TERM_RE = re.compile(r"kh[oó][aá]\s+([IVXLC]+)\b", re.IGNORECASE)


@dataclass
class Reference:
    """One cited directive."""

    code: str
    date: str | None
    issuer: str | None
    kind: str | None = None
    term: str | None = None
    text: str = ""

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "date": self.date,
            "issuer": self.issuer,
            "kind": self.kind,
            "term": self.term,
            "text": self.text,
        }


def normalize_code(raw: str) -> str:
    """ "56 - KL/TU" → "56-KL/TU"; "16/ CT-TTg" → "16/CT-TTg"."""
    return re.sub(r"\s+", "", raw or "")


def kind_from_code(code: str | None) -> str | None:
    """The document-type abbreviation inside a code ("872-CV/TU" → "CV")."""
    if not code:
        return None
    m = CODE_RE.fullmatch(normalize_code(code))
    if not m:
        return None
    raw = m.group("type") or m.group("stype")
    folded = raw.replace("Đ", "D").replace("đ", "d").lower()
    return _KIND_BY_FOLDED_ABBR.get(folded)


def kind_from_title(title: str | None) -> str | None:
    """The abbreviation for a title word ("KẾT LUẬN" → "KL")."""
    if not title:
        return None
    low = title.strip().lower()
    for abbr, word in KINDS:
        if low.startswith(word.lower()):
            return abbr
    return None


def code_number(code: str | None) -> str | None:
    if not code:
        return None
    m = re.match(r"\d+", code)
    return m.group(0) if m else None


def _issuer_after(text: str, pos: int) -> tuple[str | None, str | None]:
    """Issuer and term from "[, ngày D][,] của X khóa Y" starting at `pos`."""
    m = re.match(
        r"\s*,?\s*(?:ngày\s+[\d/.\-]+|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})?"
        r"\s*,?\s*của\s+",
        text[pos:],
        re.IGNORECASE,
    )
    if not m:
        return None, None
    start = pos + m.end()
    rest = text[start : start + 200]
    stop = _ISSUER_STOP.search(rest)
    issuer = rest[: stop.start()] if stop else rest
    issuer = issuer.strip(" ,;")
    term_m = _TERM_RE.match(rest[stop.start() :].strip(" ()")) if stop else None
    term = term_m.group(1).upper() if term_m else None
    if not issuer or len(issuer.split()) > 12:
        return None, term
    return issuer, term


def _date_after(text: str, pos: int) -> str | None:
    m = re.match(
        r"\s*,?\s*(?:ban hành\s+)?ngày\s+(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
        r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})",
        text[pos:],
        re.IGNORECASE,
    )
    if not m:
        return None
    d = parse_vietnamese_date("ngày " + m.group(1))
    return d.isoformat() if d else None


def extract_references(text: str, *, exclude_codes: set[str] | None = None) -> list[Reference]:
    """Every directive cited in `text`, de-duplicated by code, in order of first mention."""
    exclude = {c.lower() for c in (exclude_codes or set())}
    found: dict[str, Reference] = {}
    order: list[str] = []
    pending_share: list[Reference] = []
    for m in _CITATION_RE.finditer(text):
        code = normalize_code(m.group("code"))
        date = _date_after(text, m.end())
        issuer, term = _issuer_after(text, m.end())
        ref = Reference(
            code=code,
            date=date,
            issuer=issuer,
            kind=kind_from_code(code),
            term=term,
            text=text[m.start() : m.end()],
        )
        # "X số A và Y số B, ngày D của Z": A takes B's date and issuer.
        joined = re.match(r"\s+và\s+(?:" + DOC_WORDS + r")", text[m.end() :], re.IGNORECASE)
        if pending_share:
            for prev in pending_share:
                prev.date = prev.date or date
                prev.issuer = prev.issuer or issuer
                prev.term = prev.term or term
            pending_share = []
        if joined and not date and not issuer:
            pending_share.append(ref)
        key = code.lower()
        if key in exclude:
            continue
        if key in found:
            old = found[key]
            old.date = old.date or ref.date
            old.issuer = old.issuer or ref.issuer
            old.term = old.term or ref.term
            if ref in pending_share:
                pending_share = [old if r is ref else r for r in pending_share]
            continue
        found[key] = ref
        order.append(key)
    return [found[k] for k in order]
