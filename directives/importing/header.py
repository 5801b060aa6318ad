"""The top of a document: issuer, số/ký hiệu, place and date, title (kind), term, subject and
"Kính gửi"; and the place or date a header leaves out, looked for in the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cleaning import fold
from .dates import iter_dates, parse_vietnamese_date
from .letterhead import (
    code_at,
    enacting_authority,
    is_blank_code,
    is_motto,
    issuer_lines,
    joint_issuers,
    place_and_date,
)
from .references import (
    CODE_RE,
    DOC_WORDS,
    KINDS,
    code_number,
    kind_from_code,
    kind_from_title,
    normalize_code,
)
from .result import ParseResult
from .signature import recipient
from .units import starts_with_head
from .wording import is_upper_line, organ_case, split_sentences

_TITLE_WORDS = sorted({w.upper() for _, w in KINDS} | {"THÔNG BÁO KẾT LUẬN"}, key=len, reverse=True)
_CODE_LINE = re.compile(r"^Số\s*:?\s*(" + CODE_RE.pattern + r")", re.IGNORECASE)
_AUTHORITY_LINE = re.compile(r"^.*QUYẾT ĐỊNH\s*:?$|^(?:CHỦ TỊCH|BỘ TRƯỞNG|GIÁM ĐỐC)\s")
_PLACE_DATE = re.compile(r"^(?P<place>[A-ZĐÀ-Ỹ][^,\d]{1,40}?),?\s+ngày\s+(?P<date>.+)$")


@dataclass
class HeaderFacts:
    """What the header showed beyond the result's fields (used to classify the text)."""

    body_start: int = 0
    title_kind: str | None = None
    has_kinh_gui: bool = False
    marker: bool = False


def find_title(lines: list[str]) -> int | None:
    for i, line in enumerate(lines[:30]):
        if not is_upper_line(line):
            continue
        for word in _TITLE_WORDS:
            if line == word or line.startswith(word + " ") and len(line) < 80:
                return i
    return None


def read_header(lines: list[str], res: ParseResult) -> HeaderFacts:
    """Fill the header fields of `res` from `lines`; say where the body starts."""
    title_idx = find_title(lines)
    limit = title_idx if title_idx is not None else min(len(lines), 15)
    header = lines[:limit]
    marker = any(
        ln == "*" or is_motto(ln) or _CODE_LINE.match(ln) or is_blank_code(ln) for ln in header
    )
    code_line = None
    for i in range(min(len(lines), limit + 12)):
        code = code_at(lines, i, _CODE_LINE)
        if code:
            res.code = normalize_code(code)
            code_line = i
            break
        if is_blank_code(lines[i]):
            code_line = i
            break
    for i in range(min(len(lines), limit + 12)):
        found = place_and_date(lines, i, _PLACE_DATE)
        if found and not res.issued_on:
            res.place, res.issued_on = found
    if marker:
        organs = issuer_lines(header, lambda ln: bool(_CODE_LINE.match(ln)))
        if organs:
            names = joint_issuers(organs[-1], place=res.place, text=" ".join(lines))
            res.issuer = " và ".join(names)
            res.issuers = names if len(names) > 1 else []
    issuer_from_citation = None
    cited_subject = None
    # A self-citation above the title: "Nghị quyết số 06-NQ/TW, ngày 02/7/2021 của ...".
    for ln in header:
        m = re.match(
            r"^(?:" + DOC_WORDS + r")\s+(?:số\s+)?(" + CODE_RE.pattern + r")(.*)$",
            ln,
            re.IGNORECASE,
        )
        if not m or len(ln) > 200:
            continue
        res.code = res.code or normalize_code(m.group(1))
        rest = ln[m.end(1) :]
        d = parse_vietnamese_date(rest)
        if d and not res.issued_on:
            res.issued_on = d
        of = re.search(r"\bcủa\s+(.+?)\s*$", rest)
        if of and not res.issuer:
            issuer_from_citation = of.group(1).strip(" .,")
            # "… của Ban Dân vận Trung ương về việc …": the subject follows the issuer.
            about = re.match(r"^(.+?)\s+(về\s+.+)$", issuer_from_citation)
            if about and len(about.group(1).split()) <= 12:
                issuer_from_citation = about.group(1)
                cited_subject = about.group(2)
    body_start = 0
    title_kind = None
    if title_idx is not None:
        title_kind = kind_from_title(lines[title_idx])
        j = title_idx + 1
        term = None
        upper_subject: list[str] = []
        while j < len(lines) and is_upper_line(lines[j]) and len(lines[j]) < 160:
            ln = lines[j]
            tm = re.search(r"KH[OÓ][AÁ]\s+([IVXLC]+)\b", ln)
            if tm:
                term = tm.group(1)
            of = re.match(r"^CỦA\s+(.+)$", ln)
            if of and not res.issuer:
                res.issuer = organ_case(of.group(1))
            elif not of and not re.fullmatch(r"\(?KH[OÓ][AÁ]\s+[IVXLC]+\)?", ln):
                upper_subject.append(ln)
            j += 1
        res.term = term
        if j < len(lines) and lines[j][:1].islower():
            res.subject = lines[j].strip()
            # "của Ban Thường vụ Huyện ủy về ..." (a lowercase "của" line joined to the
            # subject): the body before "về" is the issuer, the subject starts at "về".
            m_of = re.match(r"^của\s+(.{3,80}?)\s+(về\s+.+)$", res.subject)
            if m_of and starts_with_head(m_of.group(1)):
                res.issuer = res.issuer or m_of.group(1)
                res.subject = m_of.group(2)
            j += 1
        if not res.subject and upper_subject and not _AUTHORITY_LINE.match(upper_subject[0]):
            # State and central Party layout: the subject in capitals under the title.
            res.subject = " ".join(upper_subject)
        body_start = j
    if not res.issuer and issuer_from_citation:
        res.issuer = issuer_from_citation
        res.subject = res.subject or cited_subject
    # Công văn: trích yếu between the code line and "Kính gửi".
    kinh_gui = next((i for i, ln in enumerate(lines[:40]) if fold(ln).startswith("kinh gui")), None)
    if kinh_gui is not None:
        start = (code_line + 1) if code_line is not None else 0
        if title_idx is None:
            subject_lines = [
                ln
                for ln in lines[start:kinh_gui]
                if ln != "*"
                and not is_motto(ln)
                and not _PLACE_DATE.match(ln)
                and not is_upper_line(ln)
            ]
            if subject_lines:
                res.subject = re.sub(
                    r"^V/v\s*:?\s*", "", " ".join(subject_lines), flags=re.IGNORECASE
                ).strip()
        body_start = kinh_gui + 1
        first = re.sub(r"^kính gửi\s*:?\s*", "", lines[kinh_gui], flags=re.IGNORECASE)
        names = [first] if first else []
        while body_start < len(lines) and re.match(r"^[-–+•]", lines[body_start]):
            names.append(lines[body_start])
            body_start += 1
        res.recipients.extend(recipient(n) for n in names if n.strip(" -–"))
    elif title_idx is None:
        # No title, no "Kính gửi": the body starts after the header block.
        body_start = (code_line + 1) if code_line is not None else 0
        while body_start < len(lines) and (
            lines[body_start] == "*"
            or is_motto(lines[body_start])
            or _PLACE_DATE.match(lines[body_start])
        ):
            body_start += 1
    if (kind_from_code(res.code) or title_kind) == "QĐ":
        authority = enacting_authority(lines[(title_idx or 0) : (title_idx or 0) + 40])
        if authority:
            res.issuer = authority
            res.issuers = []
    res.number = code_number(res.code)
    res.kind = kind_from_code(res.code) or title_kind
    return HeaderFacts(
        body_start=body_start,
        title_kind=title_kind,
        has_kinh_gui=kinh_gui is not None,
        marker=marker,
    )


def fill_place(lines: list[str], res: ParseResult) -> bool:
    """Set `place` (and `issuer_full`) when the header lacks it; True when inferred from
    the body."""
    inferred = False
    if not res.place and res.issuer:
        m = re.search(
            r"(?:Tỉnh|Thành|Huyện|Thị|Quận|Đảng) u[ỷy]\s+(.+)$", res.issuer, re.IGNORECASE
        )
        if m and m.group(1)[:1].isupper():
            res.place = m.group(1).strip()
    if not res.place and res.issuer:
        level = None
        for committee, lvl in (
            ("tinh uy", "tỉnh"),
            ("thi uy", "thị xã"),
            ("huyen uy", "huyện"),
            ("thanh uy", "thành phố"),
            ("quan uy", "quận"),
        ):
            if committee in fold(res.issuer):
                level = lvl
        if level:
            counts: dict[str, int] = {}
            rx = re.compile(r"(?<![\wÀ-ỹ])(?i:" + re.escape(level) + r")\s+((?:\S+\s*){1,4})")
            for line in lines:
                for m in rx.finditer(line):
                    before = line[: m.start()].rstrip().lower()
                    if before.endswith(("các", "những", "nhóm")) or re.search(r"\d$", before):
                        continue
                    words = []
                    for word in m.group(1).split():
                        clean = word.strip(",.;:()")
                        if not clean[:1].isupper() or clean != word and words:
                            if clean[:1].isupper() and clean != word:
                                words.append(clean)
                            break
                        words.append(clean)
                    if not words:
                        continue
                    name = " ".join(words)
                    name = organ_case(name) if is_upper_line(name) else name
                    counts[name] = counts.get(name, 0) + 1
            if counts:
                res.place = max(counts.items(), key=lambda kv: kv[1])[0]
                inferred = True
    if res.issuer:
        res.issuer_full = res.issuer
        if res.place and fold(res.place) not in fold(res.issuer):
            res.issuer_full = f"{res.issuer} {res.place}"
    return inferred


def fill_date(body: list[str], res: ParseResult) -> bool:
    """With no issue date, take the date of the conference the first paragraph reports on;
    True when it did."""
    if res.issued_on or not body:
        return False
    for sentence in split_sentences(body[0]):
        if re.search(r"hội nghị|cuộc họp|phiên họp", sentence, re.IGNORECASE):
            found = iter_dates(sentence)
            if found:
                res.issued_on = found[0][2]
                return True
    return False
