"""`parse_document`: propose a structured directive from its text.

The proposal is reviewed by a person before anything is saved, so the parser prefers to
leave a field empty (with a warning) over guessing. Steps:

1. `clean_text` (web junk, markdown, footnote marks, NFD, page breaks).
2. Header: issuer, code, place and date, title (kind), term, subject, "Kính gửi".
3. Footer: "Nơi nhận" list and the signature block, cut off the body.
4. Body: numbered tree (`structure.build_tree`); the "tasks part" of it (sections about
   nhiệm vụ, giải pháp, tổ chức thực hiện; items after "... yêu cầu ... sau:"); a task per
   leaf item, with lead / coordinating units, deadline, recurrence, reporting duty, target.
5. References (every cited code), quantitative targets, document-type guess, warnings.

Conventions of the result (the expected JSON files follow them):

* `issuer` is the issuing body as printed: the header line above the "*" ("TỈNH ỦY HẢI
  DƯƠNG" → "Tỉnh ủy Hải Dương"), else the "CỦA ..." line of the title ("Ban Thường vụ Tỉnh
  ủy"), else the "của ..." of a citation of the document itself. Capitals are turned into
  the usual spelling of organ names. A place is never invented inside `issuer`;
  `issuer_full` adds the place when the issuer lacks it.
* `place`: from "Hải Dương, ngày ..."; else from the issuer ("Tỉnh ủy Kiên Giang"); else the
  name most often written after the issuer's level word ("tỉnh Phú Yên" for a Tỉnh ủy,
  "thị xã Đức Phổ" for a Thị ủy), with a warning.
* `issued_on`: the place-and-date line, else the date of a self-citation, else (with a
  warning) the date of the conference a Kết luận reports on.
* `subject`: the line(s) under the title as written, starting "về ..." / "tại ..."; for a
  công văn, the trích yếu between the code and "Kính gửi".
* `term`: "khóa XVI" written in the title block only (a term inside the subject belongs
  to the cited document).
* A task's `section` is the path of numbered labels ("II.2.1"); tasks in the closing
  paragraph ("Trên đây là ...") have section None.
* A task's text is the item text without its label; for "2.2. Ủy ban nhân dân thị xã:
  Chỉ đạo ..." only the part after the colon. Continuation paragraphs are joined with "\\n".
* `lead` is the first body named as responsible, `coordinating` the others, as written:
  from "giao X chủ trì, phối hợp với Y" / a paragraph whose subject is a body ("Ban Tuyên
  giáo Tỉnh ủy chỉ đạo ...") / a heading that names bodies ("2.4. Đảng ủy các xã, phường",
  "Đối với các cấp ủy, ...") / the sentence introducing the tasks ("... yêu cầu các cấp
  ủy, ... cần thực hiện tốt các nhiệm vụ sau:"), nearest first.
* `deadline`: a "trước ngày ..." date wins; else the latest period in the task text that
  is not part of a cited title or programme name ("Chương trình ... giai đoạn 2021-2030"
  names a programme) nor in parentheses; else the period of the enclosing heading or
  grouping item ("Nhiệm vụ ... 6 tháng cuối năm 2023" → 2023-12-31).
* Sections headed "Mục tiêu", results, limitations, causes, and proposals to higher levels
  ("đề xuất, kiến nghị với Trung ương") give no tasks.
* `recipients`: one entry per line of "Nơi nhận" (and "Kính gửi" of a công văn) as
  written, without the bullet, the trailing punctuation and a note such as "(b/c)".
* For a text that is not a directive (a news report) the header fields, tasks, targets,
  recipients and signer stay empty; references are still extracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .cleaning import clean_text, fold
from .dates import (
    Deadline,
    find_deadlines,
    find_recurrence,
    is_ongoing,
    iter_dates,
    parse_deadline,
    parse_vietnamese_date,
)
from .references import (
    CODE_RE,
    DOC_WORDS,
    KINDS,
    Reference,
    code_number,
    extract_references,
    kind_from_code,
    kind_from_title,
    normalize_code,
)
from .structure import Node, build_tree
from .units import UnitMatch, UnitRef, resolve_unit, split_unit_list, starts_with_head

# ---------------------------------------------------------------------------- results


@dataclass
class Target:
    """A quantitative target: "80% xã đạt chuẩn nông thôn mới"."""

    text: str
    indicator: str
    value: float | int
    unit: str
    comparator: str

    def to_json(self) -> dict:
        return {
            "indicator": self.indicator,
            "value": self.value,
            "unit": self.unit,
            "comparator": self.comparator,
        }


@dataclass
class Reporting:
    """A reporting duty attached to a task ("định kỳ báo cáo ... (qua Ban Dân vận)")."""

    text: str
    recurrence: str | None
    to: list[str]
    via: str | None

    def to_json(self) -> dict:
        return {"text": self.text, "recurrence": self.recurrence, "to": self.to, "via": self.via}


@dataclass
class TaskCandidate:
    section: str | None
    text: str
    lead: UnitMatch | None
    coordinating: list[UnitMatch]
    deadline: Deadline | None
    recurrence: str | None
    ongoing: bool
    reporting: Reporting | None = None
    target: Target | None = None

    def to_json(self) -> dict:
        lead_name = None
        if self.lead is not None:
            lead_name = self.lead.matched_name or self.lead.name
        return {
            "section": self.section,
            "text": self.text,
            "lead": lead_name,
            "coordinating": [c.matched_name or c.name for c in self.coordinating],
            "deadline": self.deadline.due.isoformat()
            if self.deadline and self.deadline.due
            else None,
            "recurrence": self.recurrence,
            "ongoing": self.ongoing,
            "reporting": self.reporting.to_json() if self.reporting else None,
            "target": self.target.to_json() if self.target else None,
            "deadline_label": self.deadline.label if self.deadline else None,
            "lead_unit": self.lead.to_json() if self.lead else None,
            "coordinating_units": [c.to_json() for c in self.coordinating],
        }


@dataclass
class Recipient:
    name: str
    note: str | None = None


@dataclass
class Signer:
    on_behalf: str | None = None
    title: str | None = None
    name: str | None = None

    def to_json(self) -> dict:
        return {"on_behalf": self.on_behalf, "title": self.title, "name": self.name}


@dataclass
class ParseResult:
    """Everything the parser proposes; `to_json()` is the shape the import form reads."""

    kind: str | None = None
    code: str | None = None
    number: str | None = None
    issuer: str | None = None
    issuer_full: str | None = None
    place: str | None = None
    issued_on: date | None = None
    subject: str | None = None
    term: str | None = None
    references: list[Reference] = field(default_factory=list)
    sections: list[Node] = field(default_factory=list)
    tasks: list[TaskCandidate] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    is_directive: bool = True
    document_type_guess: str = "directive"
    warnings: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    text: str = ""

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "number": self.number,
            "issuer": self.issuer,
            "issuer_full": self.issuer_full,
            "place": self.place,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "subject": self.subject,
            "term": self.term,
            "references": [
                {"code": r.code, "date": r.date, "issuer": r.issuer, "kind": r.kind, "term": r.term}
                for r in self.references
            ],
            "sections": [s.to_json() for s in self.sections],
            "tasks": [t.to_json() for t in self.tasks],
            "targets": list(self.targets),
            "recipients": [r.name for r in self.recipients],
            "recipient_notes": [{"name": r.name, "note": r.note} for r in self.recipients],
            "signer": self.signer.to_json(),
            "is_directive": self.is_directive,
            "document_type_guess": self.document_type_guess,
            "warnings": list(self.warnings),
            "footnotes": list(self.footnotes),
        }


# ---------------------------------------------------------------------- vocabulary

_TITLE_WORDS = sorted({w.upper() for _, w in KINDS} | {"THÔNG BÁO KẾT LUẬN"}, key=len, reverse=True)
_MOTTO = re.compile(
    r"^(ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG H[OÒ]À XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do.*)$",
    re.IGNORECASE,
)
_ORGAN_UPPER = re.compile(
    r"(ỦY|UỶ|ĐẢNG BỘ|\bBAN\b|HỘI ĐỒNG|CHI BỘ|MẶT TRẬN|\bSỞ\b|\bBỘ\b|ĐOÀN|\bHỘI\b)"
)
_CODE_LINE = re.compile(r"^Số\s*:?\s*(" + CODE_RE.pattern + r")", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^(?P<place>[A-ZĐÀ-Ỹ][^,\d]{1,40}?),?\s+ngày\s+(?P<date>.+)$")
_SIGN_ON_BEHALF = re.compile(r"^(T/M|TM\.?|K/T|KT\.?|Q/|Q\.|TL\.?|T/L|TUQ\.?)\s*\S", re.IGNORECASE)
_SIGN_TITLES = re.compile(
    r"^(PHÓ )?(BÍ THƯ|TRƯỞNG BAN|CHỦ TỊCH|CHÁNH VĂN PHÒNG|GIÁM ĐỐC|CHỦ NHIỆM|TRƯỞNG PHÒNG)"
)
_RECIPIENT_NOTE = re.compile(
    r"\s*\((?P<note>[^()]*(?:b/c|báo cáo|để biết|t/h|thực hiện|chỉ đạo|phối hợp|theo dõi|"
    r"để b/c|để t/h|thay b/c|đ/b|để chỉ đạo)[^()]*)\)\s*$",
    re.IGNORECASE,
)

# Words that end the name of a body in "X chủ trì", "yêu cầu X cần ...". Folded.
_VERB_STOPS = [
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
_NOUN_BEFORE = {"ban", "to", "doan", "bo", "phong", "hoi dong", "cuc", "vu"}

_TASK_HEAD = re.compile(
    r"nhiệm vụ|giải pháp|tổ chức thực hiện|phân công|trách nhiệm thực hiện", re.IGNORECASE
)
_RESULT_HEAD = re.compile(
    r"^(kết quả|tình hình|hạn chế|nguyên nhân|đánh giá|bài học|ưu điểm|khuyết điểm|"
    r"những kết quả|một số kết quả|một số hạn chế|thực trạng)",
    re.IGNORECASE,
)
_GOAL_HEAD = re.compile(
    r"^(mục tiêu|quan điểm|mục đích|yêu cầu$|mục đích, yêu cầu|chỉ tiêu)", re.IGNORECASE
)
_PROPOSAL_HEAD = re.compile(
    r"^(?:một số |các |những )?(?:đề xuất|kiến nghị)"
    r"|(?:đề xuất|kiến nghị|đề nghị) (?:với|lên)",
    re.IGNORECASE,
)
_NOT_UNIT_HEADING = re.compile(
    r"nhiệm vụ|giải pháp|mục tiêu|kết quả|hạn chế|nguyên nhân|tổ chức thực hiện|yêu cầu|"
    r"quan điểm|nội dung|đề xuất|kiến nghị",
    re.IGNORECASE,
)
_INTRO_TRIGGER = re.compile(
    r"yêu cầu|đề nghị|giao|nhiệm vụ|giải pháp|nội dung sau|như sau", re.IGNORECASE
)
_STRONG_INTRO = re.compile(
    r"yêu cầu|đề nghị|\bgiao\b|(?:nội dung|nhiệm vụ|giải pháp)[^:]{0,40}sau", re.IGNORECASE
)
_TASK_TRIGGER = re.compile(r"(?:^|[\s,;(])(giao(?:\s+cho)?|yêu cầu|đề nghị)\s+", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(Trên đây|(?:" + DOC_WORDS + r") này\b|Văn bản này|Nhận được (?:Công văn|văn bản) này)",
    re.IGNORECASE,
)
_LEADING_TIME = re.compile(
    r"^(?:(?:đến|trong|từ nay đến|phấn đấu đến|cuối)\s+(?:năm\s+\d{4}|giai đoạn[^,]{0,20})"
    r"|riêng|đồng thời)\s*,?\s*",
    re.IGNORECASE,
)
_NEWS_CUES = [
    re.compile(r"(?:^|\.\s+|\n)(Sáng|Chiều|Tối|Trưa)\s+(?:nay\s*)?(?:\(\s*)?\d{1,2}/\d{1,2}"),
    re.compile(r"phát biểu (?:tại|chỉ đạo) (?:hội nghị|buổi)", re.IGNORECASE),
    re.compile(r"\bdự hội nghị có\b", re.IGNORECASE),
    re.compile(r"\bnhấn mạnh:", re.IGNORECASE),
    re.compile(r"\(Ảnh:|^Ảnh:", re.IGNORECASE | re.MULTILINE),
]
_PERCENT = re.compile(
    r"(?P<cmp>(?:đạt\s+)?(?:trên|dưới|hơn|ít nhất|tối thiểu|tối đa|không dưới|không quá|"
    r"không thấp hơn|từ)\s+)?(?P<val>\d{1,3}(?:[.,]\d+)?)\s*%",
    re.IGNORECASE,
)

# ------------------------------------------------------------------- small helpers

_ORG_CASE = {
    "ban thường vụ": "Ban Thường vụ",
    "ban chấp hành": "Ban Chấp hành",
    "ban dân vận": "Ban Dân vận",
    "ban tuyên giáo": "Ban Tuyên giáo",
    "ban tổ chức": "Ban Tổ chức",
    "ban nội chính": "Ban Nội chính",
    "ban bí thư": "Ban Bí thư",
    "ban cán sự đảng": "Ban cán sự đảng",
    "bộ chính trị": "Bộ Chính trị",
    "ủy ban nhân dân": "Ủy ban nhân dân",
    "uỷ ban nhân dân": "Uỷ ban nhân dân",
    "hội đồng nhân dân": "Hội đồng nhân dân",
    "ủy ban kiểm tra": "Ủy ban Kiểm tra",
    "uỷ ban kiểm tra": "Uỷ ban Kiểm tra",
    "mặt trận tổ quốc": "Mặt trận Tổ quốc",
    "văn phòng": "Văn phòng",
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


def _is_upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_person_name(line: str) -> bool:
    """ "Nguyễn Mạnh Hiển": 2-5 capitalised words, not all capitals, no digits."""
    words = line.split()
    return (
        2 <= len(words) <= 5
        and all(w[:1].isupper() and w.isalpha() for w in words)
        and not _is_upper_line(line)
    )


def _unit_span(text: str, *, require_stop: bool = True, max_words: int = 30) -> str | None:
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
        if prev in _NOUN_BEFORE or prev2 in _NOUN_BEFORE:
            continue
        for stop in _VERB_STOPS:
            stop_words = stop.split()
            if folded[i : i + len(stop_words)] == stop_words:
                # "các tổ chức chính trị" is a noun, "tổ chức thực hiện" a verb.
                span = text[: tokens[i].start()].strip(" ,;:")
                # "Các phong trào ... được đẩy mạnh" describes, it does not assign.
                if re.search(r"\s(được|là|bị|đã|đang|sẽ|còn|chưa)\s", " " + span + " "):
                    return None
                return span or None
        if tokens[i - 1].group(0).endswith((".", ":")):
            break
    if require_stop:
        return None
    return text.strip(" ,;:.")


def _split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ\"“])", text)
    return [p.strip() for p in parts if p.strip()]


# --------------------------------------------------------------------- the parser


@dataclass
class _Context:
    """What an item inherits from the headings and introductions above it."""

    lead: list[str] = field(default_factory=list)
    deadline: Deadline | None = None


class _Parser:
    def __init__(self, text: str, units: list[UnitRef] | None, today: date | None) -> None:
        self.raw = text
        self.units = units
        self.today = today
        self.result = ParseResult()
        self.lines: list[str] = []

    # 1-2. header ------------------------------------------------------------------
    def run(self) -> ParseResult:
        cleaned = clean_text(self.raw)
        self.result.text = cleaned
        self.lines = [ln.strip() for ln in cleaned.split("\n") if ln.strip()]
        body_start = self._parse_header()
        body_end = self._parse_footer(body_start)
        body = self.lines[body_start:body_end]
        self._classify(body)
        exclude = {self.result.code} if self.result.code else set()
        self.result.references = extract_references(
            re.sub(r"\s*\n\s*", " ", cleaned), exclude_codes=exclude
        )
        if self.result.is_directive:
            self._parse_body(body)
        else:
            self._blank_header()
        self._warn()
        return self.result

    def _find_title(self) -> int | None:
        for i, line in enumerate(self.lines[:30]):
            if not _is_upper_line(line):
                continue
            for word in _TITLE_WORDS:
                if line == word or line.startswith(word + " ") and len(line) < 80:
                    return i
        return None

    def _parse_header(self) -> int:
        res = self.result
        title_idx = self._find_title()
        limit = title_idx if title_idx is not None else min(len(self.lines), 15)
        header = self.lines[:limit]
        marker = any(ln == "*" or _MOTTO.match(ln) or _CODE_LINE.match(ln) for ln in header)
        code_line = None
        for i, ln in enumerate(self.lines[: limit + 12]):
            m = _CODE_LINE.match(ln)
            if m:
                res.code = normalize_code(m.group(1))
                code_line = i
                break
        for ln in self.lines[: limit + 12]:
            pd = _PLACE_DATE.match(ln)
            if pd and not res.issued_on:
                d = parse_vietnamese_date("ngày " + pd.group("date"))
                if d:
                    res.issued_on = d
                    res.place = pd.group("place").strip()
        if marker:
            issuer_lines = [
                ln
                for ln in header
                if _is_upper_line(ln)
                and not _MOTTO.match(ln)
                and _ORGAN_UPPER.search(ln)
                and not _CODE_LINE.match(ln)
            ]
            if issuer_lines:
                res.issuer = organ_case(issuer_lines[-1])
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
                res.issuer_from_citation = of.group(1).strip(" .,")  # type: ignore[attr-defined]
        body_start = 0
        title_kind = None
        if title_idx is not None:
            title_kind = kind_from_title(self.lines[title_idx])
            j = title_idx + 1
            term = None
            while (
                j < len(self.lines) and _is_upper_line(self.lines[j]) and len(self.lines[j]) < 160
            ):
                ln = self.lines[j]
                tm = re.search(r"KH[OÓ][AÁ]\s+([IVXLC]+)\b", ln)
                if tm:
                    term = tm.group(1)
                of = re.match(r"^CỦA\s+(.+)$", ln)
                if of and not res.issuer:
                    res.issuer = organ_case(of.group(1))
                j += 1
            res.term = term
            if j < len(self.lines) and self.lines[j][:1].islower():
                res.subject = self.lines[j].strip()
                # "của Ban Thường vụ Huyện ủy về ..." (a lowercase "của" line joined to the
                # subject): the body before "về" is the issuer, the subject starts at "về".
                m_of = re.match(r"^của\s+(.{3,80}?)\s+(về\s+.+)$", res.subject)
                if m_of and starts_with_head(m_of.group(1)):
                    res.issuer = res.issuer or m_of.group(1)
                    res.subject = m_of.group(2)
                j += 1
            body_start = j
        if not res.issuer and getattr(res, "issuer_from_citation", None):
            res.issuer = res.issuer_from_citation  # type: ignore[attr-defined]
        # Công văn: trích yếu between the code line and "Kính gửi".
        kinh_gui = next(
            (i for i, ln in enumerate(self.lines[:40]) if fold(ln).startswith("kinh gui")), None
        )
        if kinh_gui is not None:
            start = (code_line + 1) if code_line is not None else 0
            if title_idx is None:
                subject_lines = [
                    ln
                    for ln in self.lines[start:kinh_gui]
                    if ln != "*"
                    and not _MOTTO.match(ln)
                    and not _PLACE_DATE.match(ln)
                    and not _is_upper_line(ln)
                ]
                if subject_lines:
                    res.subject = re.sub(
                        r"^V/v\s*:?\s*", "", " ".join(subject_lines), flags=re.IGNORECASE
                    ).strip()
            body_start = kinh_gui + 1
            first = re.sub(r"^kính gửi\s*:?\s*", "", self.lines[kinh_gui], flags=re.IGNORECASE)
            names = [first] if first else []
            while body_start < len(self.lines) and re.match(r"^[-–+•]", self.lines[body_start]):
                names.append(self.lines[body_start])
                body_start += 1
            res.recipients.extend(self._recipient(n) for n in names if n.strip(" -–"))
        elif title_idx is None:
            # No title, no "Kính gửi": the body starts after the header block.
            body_start = (code_line + 1) if code_line is not None else 0
            while body_start < len(self.lines) and (
                self.lines[body_start] == "*"
                or _MOTTO.match(self.lines[body_start])
                or _PLACE_DATE.match(self.lines[body_start])
            ):
                body_start += 1
        res.number = code_number(res.code)
        res.kind = kind_from_code(res.code) or title_kind
        self._title_kind = title_kind
        self._has_kinh_gui = kinh_gui is not None
        self._header_marker = marker
        return body_start

    # 3. footer --------------------------------------------------------------------
    @staticmethod
    def _recipient(line: str) -> Recipient:
        name = re.sub(r"^[-–+•]\s*", "", line.strip())
        name = name.rstrip(" ,;.")
        note = None
        m = _RECIPIENT_NOTE.search(name)
        if m:
            note = m.group("note").strip()
            name = name[: m.start()].rstrip(" ,;.")
        return Recipient(name=name, note=note)

    def _parse_footer(self, body_start: int) -> int:
        res = self.result
        end = len(self.lines)
        noi_nhan = None
        for i in range(len(self.lines) - 1, body_start - 1, -1):
            if re.match(r"^nơi nhận\s*:?", self.lines[i], re.IGNORECASE):
                noi_nhan = i
                break
        sign_idx = None
        for i in range(len(self.lines) - 1, max(body_start, len(self.lines) - 40) - 1, -1):
            if _SIGN_ON_BEHALF.match(self.lines[i]) and _is_upper_line(self.lines[i]):
                sign_idx = i
                break
        if noi_nhan is not None:
            end = noi_nhan
            first = re.sub(r"^nơi nhận\s*:?\s*", "", self.lines[noi_nhan], flags=re.IGNORECASE)
            candidates = ([first] if first else []) + self.lines[noi_nhan + 1 :]
            for ln in candidates:
                if re.match(r"^[-–+•]", ln):
                    res.recipients.append(self._recipient(ln))
        if sign_idx is not None:
            end = min(end, sign_idx)
            res.signer.on_behalf = self.lines[sign_idx]
            after = [ln for ln in self.lines[sign_idx + 1 :] if not re.match(r"^[-–+•]", ln)]
            after = [ln for ln in after if not re.match(r"^nơi nhận", ln, re.IGNORECASE)]
            if after and _is_upper_line(after[0]):
                res.signer.title = after[0]
                after = after[1:]
            for ln in after:
                if _is_person_name(ln):
                    res.signer.name = ln
                    break
        else:
            # No "T/M": a bare title ("BÍ THƯ") followed by a name.
            for i in range(len(self.lines) - 1, max(body_start, len(self.lines) - 8) - 1, -1):
                if _SIGN_TITLES.match(self.lines[i]) and _is_upper_line(self.lines[i]):
                    res.signer.title = self.lines[i]
                    nxt = self.lines[i + 1 : i + 2]
                    if nxt and not _is_upper_line(nxt[0]):
                        res.signer.name = nxt[0]
                    end = min(end, i)
                    break
        return end

    # classification ---------------------------------------------------------------
    def _classify(self, body: list[str]) -> None:
        res = self.result
        score = 0
        score += 2 if res.code else 0
        score += 2 if self._title_kind else 0
        score += 1 if self._has_kinh_gui else 0
        score += 1 if res.signer.on_behalf or res.signer.title else 0
        score += 1 if any(r for r in res.recipients) else 0
        score += 1 if self._header_marker else 0
        text = "\n".join(self.lines)
        news = sum(1 for rx in _NEWS_CUES if rx.search(text))
        res.is_directive = score >= 2
        if res.is_directive:
            res.document_type_guess = "directive"
        elif news:
            res.document_type_guess = "news_report"
        else:
            res.document_type_guess = "unknown"

    def _blank_header(self) -> None:
        res = self.result
        for name in (
            "kind",
            "code",
            "number",
            "issuer",
            "issuer_full",
            "place",
            "issued_on",
            "subject",
            "term",
        ):
            setattr(res, name, None)
        res.recipients = []
        res.signer = Signer()

    # 4. body ----------------------------------------------------------------------
    def _parse_body(self, body: list[str]) -> None:
        res = self.result
        closing_at = next((i for i, p in enumerate(body) if _CLOSING.match(p)), len(body))
        main, closing = body[:closing_at], body[closing_at:]
        root, footnotes = build_tree(main)
        res.footnotes = footnotes
        res.sections = root.children
        self._fill_place()
        self._fill_date(body)
        self._walk(root, _Context(), in_tasks=False)
        if not res.tasks:
            # No heading or sentence announced the tasks (a short plan or letter that is
            # only numbered items): every item except results, goals and proposals is a
            # candidate, for the reviewer to keep or remove.
            self._walk(root, _Context(), in_tasks=True)
        for para in closing:
            for sentence in _split_sentences(para):
                self._closing_task(sentence)
        self._collect_targets(root)

    def _fill_place(self) -> None:
        res = self.result
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
                for line in self.lines:
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
                        name = organ_case(name) if _is_upper_line(name) else name
                        counts[name] = counts.get(name, 0) + 1
                if counts:
                    res.place = max(counts.items(), key=lambda kv: kv[1])[0]
                    self._place_inferred = True
        if res.issuer:
            res.issuer_full = res.issuer
            if res.place and fold(res.place) not in fold(res.issuer):
                res.issuer_full = f"{res.issuer} {res.place}"

    def _fill_date(self, body: list[str]) -> None:
        res = self.result
        if res.issued_on or not body:
            return
        for sentence in _split_sentences(body[0]):
            if re.search(r"hội nghị|cuộc họp|phiên họp", sentence, re.IGNORECASE):
                found = iter_dates(sentence)
                if found:
                    res.issued_on = found[0][2]
                    self._date_from_meeting = True
                    return

    def _node_text_is_heading(self, node: Node) -> bool:
        title = node.title.rstrip()
        return not title.endswith((".", ";", "!", "?", "…", ":")) and bool(node.items)

    def _unit_heading(self, title: str) -> list[str] | None:
        text = re.sub(r"^đối với\s+", "", title.strip(), flags=re.IGNORECASE).rstrip(" :.")
        if not starts_with_head(text) or _NOT_UNIT_HEADING.search(text):
            return None
        if len(text.split()) > 25:
            return None
        return split_unit_list(text)

    def _inline_unit(self, title: str) -> tuple[list[str], str] | None:
        m = re.match(r"^([^:]{3,150}):\s+(\S.*)$", title)
        if not m:
            return None
        units = self._unit_heading(m.group(1))
        if not units:
            return None
        return units, m.group(2).strip()

    def _section_is_task(self, node: Node, inherited: bool) -> bool:
        title = node.title
        if _RESULT_HEAD.match(title):
            return False
        if _GOAL_HEAD.match(title) and not _TASK_HEAD.search(title):
            return False
        if (
            _PROPOSAL_HEAD.search(title)
            and not _TASK_HEAD.search(title)
            and self._node_text_is_heading(node)
        ):
            return False
        if _TASK_HEAD.search(title) and self._node_text_is_heading(node):
            return True
        return inherited

    def _heading_deadline(self, text: str) -> Deadline | None:
        found = [d for d in find_deadlines(text) if d.due]
        return max(found, key=lambda d: d.due) if found else None

    def _intro(self, para: str, ctx: _Context, *, with_deadline: bool = True) -> _Context:
        """Context from "... yêu cầu X cần thực hiện tốt các nhiệm vụ sau:"."""
        new = _Context(lead=list(ctx.lead), deadline=ctx.deadline)
        for m in _TASK_TRIGGER.finditer(para):
            span = _unit_span(para[m.end() :])
            if span:
                new.lead = split_unit_list(span)
                break
        dl = self._heading_deadline(para) if with_deadline else None
        if dl:
            new.deadline = dl
        return new

    def _walk(self, node: Node, ctx: _Context, *, in_tasks: bool) -> None:
        """Visit the items of `node`; `in_tasks` says whether they are task candidates."""
        children_seen = False
        for item in node.items:
            if isinstance(item, str):
                if item.rstrip().endswith(":") and _INTRO_TRIGGER.search(item):
                    strong = _STRONG_INTRO.search(item)
                    if in_tasks or strong:
                        ctx = self._intro(item, ctx, with_deadline=in_tasks)
                        if not in_tasks and node.kind == "root":
                            in_tasks = True
                    continue
                if _is_upper_line(item):
                    continue  # the rest of a heading wrapped onto a second line
                if in_tasks and node.kind not in ("root",) and not node.is_bullet:
                    # A paragraph directly in a task section is a task of its own, or the
                    # continuation of the previous one.
                    self._paragraph_task(node, item, ctx, children_seen)
                continue
            children_seen = True
            self._visit(item, ctx, in_tasks=in_tasks)

    def _visit(self, node: Node, ctx: _Context, *, in_tasks: bool) -> None:
        task_part = self._section_is_task(node, in_tasks) if not node.is_bullet else in_tasks
        if not task_part:
            # A nested heading can still open a task part ("3. Nhiệm vụ thời gian tới").
            self._walk_plain(node, ctx)
            return
        inline = self._inline_unit(node.title)
        is_heading = self._node_text_is_heading(node)
        sub = _Context(lead=list(ctx.lead), deadline=ctx.deadline)
        if inline:
            units, text = inline
            sub.lead = units
            self._add_task(node, text, sub)
            self._walk(node, sub, in_tasks=True)
            return
        colon_units = (
            self._unit_heading(node.title)
            if node.title.rstrip().endswith(":") and node.children
            else None
        )
        if is_heading or colon_units:
            units = self._unit_heading(node.title)
            if units:
                sub.lead = units
            dl = self._heading_deadline(node.title)
            if dl:
                sub.deadline = dl
            self._walk(node, sub, in_tasks=True)
            return
        if node.title.rstrip().endswith(":") and node.children:
            # A grouping item ("- Phấn đấu ... đạt một số chỉ tiêu sau:").
            dl = self._task_deadline(node.title)
            if dl:
                sub.deadline = dl
            span = _unit_span(_LEADING_TIME.sub("", node.title))
            if span:
                sub.lead = split_unit_list(span)
            self._walk(node, sub, in_tasks=True)
            return
        task = self._add_task(node, node.title, sub)
        own = _Context(
            lead=[task.lead.name] + [c.name for c in task.coordinating]
            if task and task.lead
            else list(sub.lead),
            deadline=sub.deadline,
        )
        self._walk(node, own if node.children else sub, in_tasks=True)

    def _walk_plain(self, node: Node, ctx: _Context) -> None:
        # A nested heading can still open a task part ("3. Nhiệm vụ thời gian tới").
        for child in node.children:
            self._visit(child, ctx, in_tasks=False)

    # tasks ------------------------------------------------------------------------
    def _paragraph_task(self, node: Node, para: str, ctx: _Context, after_children: bool) -> None:
        last = self._last_task_for(node)
        starts_new = self._starts_new_task(para)
        if last is not None and not starts_new and not after_children:
            last.text = last.text + "\n" + para
            self._refresh(last, ctx)
            return
        sub = ctx
        if node.kind != "root" and not node.is_bullet:
            units = self._unit_heading(node.title) if self._node_text_is_heading(node) else None
            if units:
                sub = _Context(lead=units, deadline=ctx.deadline)
        self._add_task(node, para, sub)

    def _last_task_for(self, node: Node) -> TaskCandidate | None:
        path = node.path()
        if (
            self.result.tasks
            and self.result.tasks[-1].section == path
            and getattr(self.result.tasks[-1], "_node", None) is node
        ):
            return self.result.tasks[-1]
        return None

    def _starts_new_task(self, para: str) -> bool:
        head = _LEADING_TIME.sub("", para.strip())
        if re.match(r"^(giao|đề nghị|yêu cầu)\s+", head, re.IGNORECASE):
            return (
                _unit_span(
                    re.sub(r"^(giao(?:\s+cho)?|đề nghị|yêu cầu)\s+", "", head, flags=re.IGNORECASE)
                )
                is not None
            )
        return _unit_span(head) is not None

    def _own_units(self, text: str) -> tuple[list[str], list[str]]:
        """Lead candidates and coordinating bodies named by the task text itself."""
        lead: list[str] = []
        head = _LEADING_TIME.sub("", text.strip())
        span = _unit_span(head)
        if span:
            lead = split_unit_list(span)
        else:
            for m in _TASK_TRIGGER.finditer(text):
                span = _unit_span(text[m.end() :])
                if span:
                    lead = split_unit_list(span)
                    break
        coordinating: list[str] = []
        for m in re.finditer(
            r"(?:chủ trì\s*,?\s*|^|(?<=[.;]\s))phối hợp với\s+", text, re.IGNORECASE
        ):
            span = _unit_span(text[m.end() :])
            if span:
                coordinating.extend(split_unit_list(span))
        return lead, coordinating

    def _task_deadline(self, text: str) -> Deadline | None:
        candidates: list[Deadline] = []
        for d in find_deadlines(text):
            if self._descriptive(text, d):
                continue
            candidates.append(d)
        dated = [d for d in candidates if d.kind == "date"]
        if dated:
            return dated[0]
        if candidates:
            return max(candidates, key=lambda d: d.due or date.min)
        return None

    @staticmethod
    def _descriptive(text: str, d: Deadline) -> bool:
        """A period that names a cited document or programme, not a deadline."""
        before = text[: d.start]
        if re.search(
            r"(hoàn thành|xong|chậm nhất|hạn chót|trước)\s*(trong|vào|là)?\s*$",
            before,
            re.IGNORECASE,
        ):
            return False
        if before.count("(") > before.count(")"):
            return True
        clause = re.split(r"[;:]|\.\s", before)[-1]
        return bool(
            CODE_RE.search(clause)
            or re.search(
                r"(?<![\wÀ-ỹ])(?:" + DOC_WORDS + r"|Dự án|Cuộc thi|Cuộc vận động)\b", clause
            )
        )

    def _reporting(self, text: str) -> Reporting | None:
        for clause in re.split(r";|(?<=[.!?])\s+", text):
            m = re.search(r"(?:định kỳ|hằng|hàng|mỗi)\b[^;]*?báo cáo", clause, re.IGNORECASE)
            if not m:
                continue
            start = m.start()
            rep_text = clause[start:].strip().rstrip(".")
            after = clause[clause.lower().rfind("báo cáo") + len("báo cáo") :]
            after = re.sub(
                r"^\s*(?:kết quả(?: thực hiện)?\s*)?(?:cho|về|lên|gửi)?\s*",
                "",
                after,
                flags=re.IGNORECASE,
            )
            via_m = re.search(
                r"\(\s*(?:thông\s+)?qua\s+([^)]+)\)|thông qua\s+([^,;.]+)", clause, re.IGNORECASE
            )
            via = (via_m.group(1) or via_m.group(2)).strip() if via_m else None
            after = re.sub(r"\s*\(.*$", "", after)
            to_span = _unit_span(after, require_stop=False) if after.strip() else None
            to = split_unit_list(to_span) if to_span else []
            return Reporting(text=rep_text, recurrence=find_recurrence(clause), to=to, via=via)
        return None

    def _first_target(self, text: str) -> Target | None:
        found = find_targets(text)
        return found[0] if found else None

    def _resolve(self, name: str) -> UnitMatch:
        return resolve_unit(name, self.units, context_unit_name=self.result.issuer_full)

    def _add_task(self, node: Node | None, text: str, ctx: _Context) -> TaskCandidate:
        section = node.path() if node is not None else None
        task = TaskCandidate(
            section=section,
            text=text.strip(),
            lead=None,
            coordinating=[],
            deadline=None,
            recurrence=None,
            ongoing=False,
        )
        task._node = node  # type: ignore[attr-defined]
        self._refresh(task, ctx)
        self.result.tasks.append(task)
        return task

    def _refresh(self, task: TaskCandidate, ctx: _Context) -> None:
        own_lead, own_coord = self._own_units(task.text)
        if own_lead:
            names = own_lead + [c for c in own_coord if c not in own_lead]
        elif ctx.lead:
            names = list(ctx.lead) + [c for c in own_coord if c not in ctx.lead]
        else:
            names = own_coord[:0]
            if own_coord:
                names = [None] + own_coord  # type: ignore[list-item]
        lead = names[0] if names else None
        task.lead = self._resolve(lead) if lead else None
        task.coordinating = [self._resolve(n) for n in names[1:] if n]
        task.deadline = self._task_deadline(task.text) or ctx.deadline
        task.recurrence = find_recurrence(task.text)
        task.ongoing = is_ongoing(task.text)
        task.reporting = self._reporting(task.text)
        task.target = self._first_target(task.text)

    def _closing_task(self, sentence: str) -> None:
        for m in _TASK_TRIGGER.finditer(sentence):
            span = _unit_span(sentence[m.end() :])
            if span:
                self._add_task(None, sentence, _Context())
                return

    # 5. targets and warnings ------------------------------------------------------
    def _collect_targets(self, root: Node) -> None:
        texts: list[str] = []

        def visit(node: Node, skip: bool) -> None:
            for item in node.items:
                if isinstance(item, str):
                    if not skip:
                        texts.append(item)
                    continue
                child_skip = skip or (not item.is_bullet and bool(_RESULT_HEAD.match(item.title)))
                if not child_skip:
                    texts.append(item.title)
                visit(item, child_skip)

        visit(root, False)
        seen: set[str] = set()
        for text in texts:
            for target in find_targets(text):
                if target.text not in seen:
                    seen.add(target.text)
                    self.result.targets.append(target.text)

    def _warn(self) -> None:
        res = self.result
        w = res.warnings
        if not res.is_directive:
            if res.document_type_guess == "news_report":
                w.append(
                    "Văn bản có vẻ là bài báo, tin tức, không phải văn bản chỉ đạo: "
                    "chỉ trích xuất các văn bản được dẫn chiếu."
                )
            else:
                w.append("Không nhận ra văn bản chỉ đạo (không có số hiệu, tiêu đề, chữ ký).")
            return
        if not res.code:
            w.append("Không tìm thấy số hiệu văn bản.")
        if not res.issuer:
            w.append("Không xác định được cơ quan ban hành.")
        if getattr(self, "_place_inferred", False):
            w.append(f"Nơi ban hành ({res.place}) được suy ra từ nội dung văn bản.")
        if not res.issued_on:
            w.append("Không tìm thấy ngày ban hành.")
        elif getattr(self, "_date_from_meeting", False):
            w.append("Văn bản không ghi ngày ban hành: tạm lấy ngày tổ chức hội nghị.")
        if not res.tasks:
            w.append("Không tìm thấy nhiệm vụ nào trong văn bản.")
        if not res.signer.on_behalf and not res.signer.title:
            w.append("Không tìm thấy khối chữ ký.")
        elif not res.signer.name:
            w.append("Không tìm thấy họ tên người ký.")
        if not res.recipients:
            w.append("Không tìm thấy mục Nơi nhận.")


# ------------------------------------------------------------------------ targets


def _comparator(word: str) -> str:
    word = fold(word)
    if re.search(r"\b(tren|hon)\b", word):
        return ">"
    if re.search(r"\b(duoi)\b", word):
        return "<"
    if re.search(r"(toi da|khong qua)", word):
        return "<="
    return ">="


def _number(raw: str) -> float | int:
    value = float(raw.replace(",", "."))
    return int(value) if value.is_integer() else value


_TARGET_FILLER = re.compile(
    r"^(?:(?:phấn đấu|trong đó|trong đó có|có|đạt|đến năm \d{4}|đến cuối năm \d{4}|"
    r"trong giai đoạn[^,]{0,20}|giai đoạn[^,]{0,20}|năm \d{4})\s*,?\s*)+",
    re.IGNORECASE,
)


def find_targets(text: str) -> list[Target]:
    """Quantitative targets (percentages) in `text`, one per clause.

    A clause runs between ";", ":", sentence ends and ", trong đó"; a clause with several
    percentages is cut at the comma before each further one. Leading fillers ("phấn đấu",
    "đến năm 2025,", "có", "trong đó có") are dropped. A percentage that begins a noun
    phrase ("80% xã ...") gives that phrase as indicator; one that ends a clause ("Tỷ lệ
    ... đạt 100%") gives the words before it.
    """
    out: list[Target] = []
    text = re.sub(r"^[-+•–]\s*", "", text.strip())
    clauses = re.split(r";|:|(?<=[.!?])\s+|,\s*(?=trong đó\b)", text)
    for clause in clauses:
        matches = list(_PERCENT.finditer(clause))
        if not matches:
            continue
        pieces: list[str] = []
        if len(matches) == 1:
            pieces = [clause]
        else:
            cuts = [0]
            for m in matches[1:]:
                comma = clause.rfind(",", cuts[-1], m.start())
                if comma > cuts[-1]:
                    cuts.append(comma + 1)
            cuts.append(len(clause))
            pieces = [clause[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
        for piece in pieces:
            piece = piece.strip(" ,.;")
            m = _PERCENT.search(piece)
            if not m:
                continue
            piece = _TARGET_FILLER.sub("", piece).strip(" ,.;")
            m = _PERCENT.search(piece)
            if not m:
                continue
            after = piece[m.end() :].strip()
            lead_in = re.search(r"(?:\bcó|phấn đấu)\s+$", piece[: m.start()], re.IGNORECASE)
            if lead_in and after[:1].isalpha():
                # "Chỉ đạo các xã phấn đấu ... có trên 95% hộ ...": the target starts here.
                piece = piece[m.start() :]
                m = _PERCENT.search(piece)
            # "đạt 100%", "đạt trên 75% điểm tối đa": the indicator is written before.
            tail_form = bool(
                re.search(r"(?:đạt|chiếm|là|ở mức)\s*$", piece[: m.start()], re.IGNORECASE)
                or re.match(r"đạt\b", m.group("cmp") or "", re.IGNORECASE)
            )
            if after and after[:1].isalpha() and not tail_form:
                indicator = after
            else:
                indicator = re.sub(
                    r"\s*(?:đạt|là|chiếm|ở mức)\s*$",
                    "",
                    piece[: m.start()].strip(),
                    flags=re.IGNORECASE,
                ).strip(" ,")
            out.append(
                Target(
                    text=piece,
                    indicator=indicator,
                    value=_number(m.group("val")),
                    unit="%",
                    comparator=_comparator(m.group("cmp") or ""),
                )
            )
    return out


def parse_document(
    text: str, *, units: list[UnitRef] | None = None, today: date | None = None
) -> ParseResult:
    """Propose a structured directive from `text` (see the module docstring)."""
    return _Parser(text, units, today).run()


__all__ = [
    "ParseResult",
    "TaskCandidate",
    "Target",
    "Reporting",
    "Signer",
    "Recipient",
    "parse_document",
    "find_targets",
    "organ_case",
    "parse_deadline",
]
