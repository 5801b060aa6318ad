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
    r"|Tờ trình"
)

_PARTY_CODE = (
    r"(?P<num>\d{1,5})\s*-\s*(?P<type>[A-ZĐ][A-Za-zĐđ]{0,4})\s*/\s*"
    r"(?P<iss>[A-ZĐ][A-ZĐa-zđ]{0,7}(?:-[A-ZĐ][A-ZĐƯa-zđ]{1,9})?)"
)
_STATE_CODE = (
    r"(?P<snum>\d{1,5})\s*/\s*(?:\d{4}\s*/\s*)?"
    r"(?P<stype>[A-ZĐ][A-Za-zĐđ]{0,4}(?:/[A-ZĐ][A-Za-zĐđ]{0,4})?)"
    r"\s*-\s*(?P<siss>[A-ZĐ][A-Za-zĐđƯ0-9]{0,14}(?:-[A-ZĐ][A-Za-zĐđƯ0-9]{0,14}){0,3})"
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

_BARE_NUMBER_RE = re.compile(
    r"(?P<word>" + DOC_WORDS + r")\s+số\s+(?P<num>\d{1,5})(?![\d/\-–]|\s*[-/–]\s*[A-ZĐ\d])",
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
    position: dict[str, int] = {}
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
        position[key] = m.start()
    # "Kết luận số 01", "(Kết luận số 114)": a number printed without its symbol is the
    # full code cited elsewhere with that number and type, else a reference of its own.
    for m in _BARE_NUMBER_RE.finditer(text):
        kind = kind_from_title(m.group("word"))
        number = m.group("num")
        if any(code_number(r.code) == number and r.kind == kind for r in found.values()):
            continue
        key = f"{kind}:{number}"
        if key in found or number in {code_number(c) for c in exclude}:
            continue
        found[key] = Reference(
            code=number,
            date=_date_after(text, m.end()),
            issuer=None,
            kind=kind,
            text=m.group(0),
        )
        order.append(key)
        position[key] = m.start()
    order.sort(key=lambda k: position[k])
    return [found[k] for k in order]


# Unnumbered documents cited as a basis: "Căn cứ Luật Tổ chức chính quyền địa phương ngày
# 19/6/2015;", "Căn cứ Điều lệ Đảng;", "Thực hiện Nghị quyết Đại hội XIII của Đảng, ...".
_TITLE_WORDS = (
    r"Luật|Bộ luật|Hiến pháp|Pháp lệnh|Điều lệ|Nghị quyết|Nghị định|Quy chế|Quy định|Đề án"
    r"|Chương trình|Kế hoạch|Quyết định|Chỉ thị|Kết luận|Thông tư|Hướng dẫn|Văn kiện"
)
_BASIS_RE = re.compile(
    r"(?:^|(?<=[.;:]\s)|(?<=\s[-–]\s)|(?<=^[-–+•]\s))(?P<lead>Căn cứ|Thực hiện|Triển khai)\s+"
    r"(?P<title>(?:" + _TITLE_WORDS + r")\b[^;]*)",
    re.IGNORECASE | re.MULTILINE,
)
_TITLE_DATE = re.compile(
    r"\s*,?\s+(?:được\s+)?(?:ban hành\s+|thông qua\s+)?ngày\s+(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*"
    r"\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
)


def _basis_title(lead: str, rest: str) -> tuple[str, str | None] | None:
    """Title and date of one "Căn cứ ..." / "Thực hiện ..." citation, None if numbered."""
    if lead.lower() == "căn cứ":
        # A title may hold commas between names ("Ban Chấp hành Trung ương, Bộ Chính trị");
        # it ends at a comma followed by a lower-case clause or at the end of the sentence.
        end = re.search(
            r",\s+(?=[^,;]*\b(?:ban hành|quyết định|QUYẾT ĐỊNH|xây dựng|thống nhất)\b)"
            r"|\.(?:\s|$)|;|$",
            rest,
        )
    else:
        end = re.search(r",|\.(?:\s|$)|;|:|$", rest)
    title = rest[: end.start()] if end else rest
    date = None
    m = _TITLE_DATE.search(title)
    if m:
        parsed = parse_vietnamese_date("ngày " + m.group(1))
        date = parsed.isoformat() if parsed else None
        title = title[: m.start()]
    title = title.strip(" ,.;:")
    if CODE_RE.search(title) or re.search(r"\bsố\s+\d", title, re.IGNORECASE):
        return None
    if len(title.split()) < 2 or len(title) > 250:
        return None
    return title, date


def extract_cited_titles(text: str) -> list[dict]:
    """Documents cited as a direct basis without a number, in order, once each.

    Only citations introduced by "Căn cứ", "Thực hiện" or "Triển khai" count, and only
    when a document word starts the title; a numbered citation ("Căn cứ Nghị quyết số
    25-NQ/TW ...") is a reference, not a title. Returns [{"title", "date"}].
    """
    out: list[dict] = []
    seen: set[str] = set()
    for line in text.split("\n"):
        for m in _BASIS_RE.finditer(line.strip()):
            found = _basis_title(m.group("lead"), m.group("title"))
            if not found:
                continue
            title, date = found
            key = re.sub(r"\s+", " ", title.lower())
            if key in seen:
                continue
            seen.add(key)
            out.append({"title": title, "date": date})
    # A shortened repeat ("Nghị quyết T.Ư 7 về công tác dân vận") of a longer title is the
    # same document: keep the longer title at the first position.
    kept: list[dict] = []
    for item in out:
        key = item["title"].lower()
        for other in kept:
            okey = other["title"].lower()
            if okey.startswith(key) or key.startswith(okey):
                if len(key) > len(okey):
                    other["title"] = item["title"]
                other["date"] = other["date"] or item["date"]
                break
        else:
            kept.append(item)
    return kept
