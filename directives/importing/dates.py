"""Vietnamese dates and deadlines.

Dates: "ngày 22 tháng 10 năm 2018", "22/10/2018", "22-10-2018", "22.10.2018",
"ngày 17/7/2023". Two-digit years are read as 20xx.

Deadlines are normalised to the LAST day of the period they name, because a task "in
Quý III/2023" is on time until 30 September:

| text | kind | due | recurrence |
|---|---|---|---|
| trước ngày 15/6/2024, ngày 15/6/2024 | date | 2024-06-15 | |
| Quý III/2023, quý 3 năm 2023 | period | 2023-09-30 | |
| 6 tháng đầu năm 2024 / 6 tháng cuối năm 2023 | period | 2024-06-30 / 2023-12-31 | |
| tháng 9/2023, tháng 9 năm 2023 | period | 2023-09-30 | |
| đến năm 2025, trong năm 2023, vào năm 2023, năm 2025 (alone) | period | 2025-12-31 | |
| giai đoạn 2022-2026 | period | 2026-12-31 | |
| hằng tháng / hằng quý / định kỳ 6 tháng / hằng năm | recurring | None | monthly, ... |
| thường xuyên | ongoing | None | |

`find_deadlines` scans running text for every such expression, with its position, so
the task extractor can choose among them (and ignore a period that only names a
programme, e.g. "Chương trình ... giai đoạn 2021-2030").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from config.validation import EARLIEST_DATE, LATEST_DATE

from .cleaning import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# Day, month, year as numbers with / - . separators ("03/6/2013", "03-6-2013").
_NUM_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?![\d/])"
)
_WORD_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    """A normalised deadline: kind is "date", "period", "recurring" or "ongoing"."""

    kind: str
    due: date | None
    recurrence: str | None
    label: str
    start: int = 0
    end: int = 0

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "due": self.due.isoformat() if self.due else None,
            "recurrence": self.recurrence,
            "label": self.label,
        }


def _safe_date(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        return _in_range(date(year, month, day))
    except ValueError:
        return None


def _in_range(day: date | None) -> date | None:
    """A date the product accepts (config.validation), else None: "năm 9999" is no deadline."""
    return day if day is not None and EARLIEST_DATE <= day <= LATEST_DATE else None


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_vietnamese_date(s: str) -> date | None:
    """The first full date (day, month, year) written in `s`, or None."""
    if not s:
        return None
    m = _WORD_DATE.search(s)
    n = _NUM_DATE.search(s)
    candidates = []
    if m:
        candidates.append((m.start(), int(m.group(3)), int(m.group(2)), int(m.group(1))))
    if n:
        candidates.append((n.start(), int(n.group(3)), int(n.group(2)), int(n.group(1))))
    for _, year, month, day in sorted(candidates):
        found = _safe_date(year, month, day)
        if found:
            return found
    return None


def iter_dates(s: str) -> list[tuple[int, int, date]]:
    """Every full date in `s` as (start, end, date), in order."""
    out: list[tuple[int, int, date]] = []
    for rx in (_WORD_DATE, _NUM_DATE):
        for m in rx.finditer(s):
            if rx is _WORD_DATE:
                d = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            else:
                d = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if d:
                out.append((m.start(), m.end(), d))
    out.sort()
    return out


_Y = r"(\d{4})"
_ROMAN_OR_NUM = r"(IV|III|II|I|[1-4])"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "before_date",
        re.compile(
            r"(?:trước|chậm nhất|hạn chót|hoàn thành)\s+(?:là\s+)?(?:ngày\s+)?"
            r"(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})",
            re.IGNORECASE,
        ),
    ),
    (
        "quarter",
        re.compile(r"quý\s+" + _ROMAN_OR_NUM + r"\s*(?:/|năm|-)\s*" + _Y, re.IGNORECASE),
    ),
    (
        "half",
        re.compile(
            r"(?:6|sáu)\s+tháng\s+(đầu|cuối)\s+năm\s+" + _Y,
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm|-)\s*" + _Y + r"(?![/\d])", re.IGNORECASE),
    ),
    (
        "stage",
        re.compile(
            r"giai\s+đoạn\s+(?:từ\s+(?:năm\s+)?)?(\d{4})\s*(?:-|–|—|đến)\s*" + _Y, re.IGNORECASE
        ),
    ),
    (
        "year",
        re.compile(
            r"(?:(?:đến|trong|vào|cuối|trước|hết|hoàn thành trong)\s+)(?:năm\s+)"
            + _Y
            + r"(?![/\d])",
            re.IGNORECASE,
        ),
    ),
]

_RECURRENCE = [
    (
        "monthly",
        re.compile(
            r"\b(?:hằng|hàng|mỗi)\s+tháng\b|định\s+kỳ\s+(?:hằng\s+|hàng\s+)?tháng\b", re.IGNORECASE
        ),
    ),
    (
        "quarterly",
        re.compile(
            r"\b(?:hằng|hàng|mỗi)\s+quý\b|định\s+kỳ\s+(?:hằng\s+|hàng\s+)?quý\b"
            r"|định\s+kỳ\s+3\s+tháng",
            re.IGNORECASE,
        ),
    ),
    (
        "half-yearly",
        re.compile(
            r"định\s+kỳ\s+(?:6|sáu)\s+tháng|(?:hằng|hàng|mỗi)\s+(?:6|sáu)"
            r"\s+tháng|(?:6|sáu)\s+tháng\s+(?:một|1)\s+lần",
            re.IGNORECASE,
        ),
    ),
    (
        "yearly",
        re.compile(
            r"\b(?:hằng|hàng|mỗi)\s+năm\b|định\s+kỳ\s+(?:hằng\s+|hàng\s+)?năm\b", re.IGNORECASE
        ),
    ),
]
_ONGOING = re.compile(r"(?<!chưa )(?<!không )(?<!chưa được )thường\s+xuyên", re.IGNORECASE)


def find_recurrence(text: str) -> str | None:
    """The recurrence named in `text` ("monthly", "quarterly", ...), or None."""
    best: tuple[int, str] | None = None
    for name, rx in _RECURRENCE:
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def is_ongoing(text: str) -> bool:
    """True when the text says the duty is continuous ("thường xuyên")."""
    return bool(_ONGOING.search(text))


def find_deadlines(text: str) -> list[Deadline]:
    """Every date/period deadline expression in `text`, in order of position.

    Overlapping matches keep the earliest, longest one ("6 tháng cuối năm 2023" is not
    also read as "năm 2023").
    """
    found: list[Deadline] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            due = _due_for(kind, m)
            if due is None:
                continue
            dl_kind = "date" if kind == "before_date" else "period"
            found.append(Deadline(dl_kind, due, None, m.group(0), m.start(), m.end()))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[Deadline] = []
    for d in found:
        if out and d.start < out[-1].end:
            continue
        out.append(d)
    return out


def _due_for(kind: str, m: re.Match[str]) -> date | None:
    try:
        return _in_range(_due_for_unchecked(kind, m))
    except ValueError:  # year 0, month 13
        return None


def _due_for_unchecked(kind: str, m: re.Match[str]) -> date | None:
    if kind == "before_date":
        return parse_vietnamese_date("ngày " + m.group(1))
    if kind == "quarter":
        q = m.group(1).lower()
        quarter = ROMAN.get(q) or int(q)
        return _month_end(int(m.group(2)), quarter * 3)
    if kind == "half":
        year = int(m.group(2))
        return date(year, 6, 30) if fold(m.group(1)) == "dau" else date(year, 12, 31)
    if kind == "month":
        return _month_end(int(m.group(2)), int(m.group(1)))
    if kind == "stage":
        return date(int(m.group(2)), 12, 31)
    if kind == "year":
        return date(int(m.group(1)), 12, 31)
    return None


def parse_deadline(s: str, *, reference_date: date | None = None) -> Deadline | None:
    """Read one deadline expression (see the table in the module docstring).

    1. A date or period gives kind "date"/"period" with its last day as `due`; a bare
       day and month ("trước ngày 15/6") takes the year of `reference_date`.
    2. Otherwise a recurrence word gives kind "recurring".
    3. Otherwise "thường xuyên" gives kind "ongoing".
    Returns None when nothing is recognised.
    """
    s = (s or "").strip()
    if not s:
        return None
    d = parse_vietnamese_date(s)
    m_bare = re.search(
        r"(?:trước|đến|hạn|chậm nhất)?\s*ngày\s+(\d{1,2})\s*/\s*(\d{1,2})(?![/\d])",
        s,
        re.IGNORECASE,
    )
    found = find_deadlines(s)
    if found:
        first = found[0]
        return Deadline(first.kind, first.due, find_recurrence(s), s)
    if d:
        return Deadline("date", d, find_recurrence(s), s)
    if m_bare and reference_date:
        bare = _safe_date(reference_date.year, int(m_bare.group(2)), int(m_bare.group(1)))
        if bare:
            return Deadline("date", bare, None, s)
    m_year = re.search(r"\bnăm\s+(\d{4})\b", s, re.IGNORECASE)
    year_end = _safe_date(int(m_year.group(1)), 12, 31) if m_year else None
    if year_end:
        return Deadline("period", year_end, None, s)
    rec = find_recurrence(s)
    if rec:
        return Deadline("recurring", None, rec, s)
    if is_ongoing(s):
        return Deadline("ongoing", None, None, s)
    return None
