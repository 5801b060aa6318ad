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
from datetime import date

from .cleaning import clean_text
from .dates import parse_deadline
from .header import HeaderFacts, fill_date, fill_place, read_header
from .letterhead import split_cells
from .references import extract_cited_titles, extract_references
from .result import ParseResult, Recipient, Reporting, Signer, Target, TaskCandidate
from .signature import read_footer
from .targets import find_targets, targets_in
from .tasks import TaskReader
from .units import UnitRef
from .webcopy import read_metadata, read_web_copy
from .wording import organ_case

_NEWS_CUES = [
    re.compile(r"(?:^|\.\s+|\n)(Sáng|Chiều|Tối|Trưa)\s+(?:nay\s*)?(?:\(\s*)?\d{1,2}/\d{1,2}"),
    re.compile(r"phát biểu (?:tại|chỉ đạo) (?:hội nghị|buổi)", re.IGNORECASE),
    re.compile(r"\bdự hội nghị có\b", re.IGNORECASE),
    re.compile(r"\bnhấn mạnh:", re.IGNORECASE),
    re.compile(r"\(Ảnh:|^Ảnh:", re.IGNORECASE | re.MULTILINE),
]


class _Parser:
    def __init__(self, text: str, units: list[UnitRef] | None, today: date | None) -> None:
        self.raw = text
        self.units = units
        self.today = today
        self.result = ParseResult()
        self.lines: list[str] = []
        self._place_inferred = False
        self._date_from_meeting = False

    def run(self) -> ParseResult:
        cleaned = clean_text(self.raw)
        self.result.text = cleaned
        self.lines = split_cells([ln.strip() for ln in cleaned.split("\n") if ln.strip()])
        facts = read_header(self.lines, self.result)
        self._announced = False
        news = any(rx.search("\n".join(self.lines)) for rx in _NEWS_CUES)
        if not (facts.title_kind or facts.marker or facts.has_kinh_gui or news):
            web_body = read_web_copy(self.lines, self.result)
            if web_body is not None:
                self._announced = True
                facts.body_start = max(facts.body_start, web_body)
        read_metadata(self.lines, self.result)
        body_start = facts.body_start
        body_end = read_footer(self.lines, body_start, self.result)
        body = self.lines[body_start:body_end]
        self._classify(facts)
        exclude = {self.result.code} if self.result.code else set()
        self.result.references = extract_references(
            re.sub(r"\s*\n\s*", " ", cleaned), exclude_codes=exclude
        )
        self.result.cited_titles = extract_cited_titles(cleaned)
        if self.result.is_directive:
            self._place_inferred = fill_place(self.lines, self.result)
            self._date_from_meeting = fill_date(body, self.result)
            TaskReader(self.result, self.units).read(body)
        else:
            self._blank_header()
            if self.result.document_type_guess == "unknown":
                # Not a directive and not a report of a meeting (a page about a draft
                # plan, say): its quantitative targets are still worth proposing.
                self.result.targets = targets_in(body)
        self._warn()
        return self.result

    # classification ---------------------------------------------------------------
    def _classify(self, facts: HeaderFacts) -> None:
        res = self.result
        score = 0
        score += 2 if res.code else 0
        score += 2 if facts.title_kind else 0
        score += 1 if facts.has_kinh_gui else 0
        score += 1 if res.signer.on_behalf or res.signer.title else 0
        score += 1 if any(r for r in res.recipients) else 0
        score += 1 if facts.marker else 0
        score += 2 if self._announced else 0
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
        res.issuers = []
        res.recipients = []
        res.signer = Signer()

    # 4. body ----------------------------------------------------------------------
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
        if self._place_inferred:
            w.append(f"Nơi ban hành ({res.place}) được suy ra từ nội dung văn bản.")
        if not res.issued_on:
            w.append("Không tìm thấy ngày ban hành.")
        elif self._date_from_meeting:
            w.append("Văn bản không ghi ngày ban hành: tạm lấy ngày tổ chức hội nghị.")
        if not res.tasks:
            w.append("Không tìm thấy nhiệm vụ nào trong văn bản.")
        if not res.signer.on_behalf and not res.signer.title:
            w.append("Không tìm thấy khối chữ ký.")
        elif not res.signer.name:
            w.append("Không tìm thấy họ tên người ký.")
        if not res.recipients:
            w.append("Không tìm thấy mục Nơi nhận.")


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
