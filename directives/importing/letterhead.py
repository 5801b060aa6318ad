"""The letterhead of Party and State documents, whatever shape a copy left it in.

* State layout: the issuing body on the left ("ỦY BAN NHÂN DÂN" / "TỈNH THANH HÓA"), the
  national motto on the right; the motto is never the issuer.
* Joint documents: "ỦY BAN NHÂN DÂN - ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM" or three bodies
  sharing one place ("... - BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM HUYỆN BÌNH CHÁNH"): each
  body is an issuer and takes the shared place; a body printed without its place (the
  place only on the date line) takes the level the text gives it ("Ủy ban nhân dân tỉnh").
* Flattened two-column headers: cells on one line separated by "|", a value split over
  two lines ("Số:" / "23-QĐ/TW", "Hà" / "Nội, ngày ..."), the place and date glued to
  the issuer.
* A decision is issued by its enacting authority ("BỘ CHÍNH TRỊ QUYẾT ĐỊNH", "CHỦ TỊCH
  ỦY BAN NHÂN DÂN HUYỆN X" above "QUYẾT ĐỊNH:"), not by the organ of the letterhead.
"""

from __future__ import annotations

import re
from datetime import date

from .cleaning import fold
from .dates import parse_vietnamese_date
from .references import CODE_RE
from .wording import is_upper_line, organ_case

ORGAN_UPPER = re.compile(
    r"(ỦY|UỶ|ĐẢNG BỘ|\bBAN\b|HỘI ĐỒNG|CHI BỘ|MẶT TRẬN|\bSỞ\b|\bBỘ\b|ĐOÀN|\bHỘI\b"
    r"|CHÍNH PHỦ|THỦ TƯỚNG|THƯỜNG TRỰC|\bPHÒNG\b)"
)
_MOTTO_KEYS = ("dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam", "doc lap - tu do")
_LEVELS_UPPER = r"(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|THỊ TRẤN|XÃ|PHƯỜNG)"
_LEVEL_START = re.compile(r"^" + _LEVELS_UPPER + r"\s+(?!ỦY|UỶ)\S")
# " HUYỆN BÌNH CHÁNH" at the end of the last of several joint bodies.
_SHARED_PLACE = re.compile(r"\s(" + _LEVELS_UPPER + r"\s+(?!ỦY|UỶ)[^-]+)$")
_LEVELS_FOLDED = ["thanh pho", "thi xa", "thi tran", "tinh", "huyen", "quan", "xa", "phuong"]
_BLANK_CODE = re.compile(r"^Số\s*:?\s*[-/]\s*[A-ZĐ]", re.IGNORECASE)
_GLUED_PLACE_DATE = re.compile(
    r"(?P<place>(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s){0,3}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+),\s*ngày\s+"
    r"(?P<date>\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})"
)
_AUTHORITY = re.compile(
    r"^(?P<org>(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC|TRƯỞNG BAN)\b.+|.+?)\s*QUYẾT ĐỊNH\s*:?$"
)
_AUTHORITY_TITLE = re.compile(r"^(?:CHỦ TỊCH|BỘ TRƯỞNG|GIÁM ĐỐC|TRƯỞNG BAN)\s+\S")


def is_motto(line: str) -> bool:
    """The national motto or the Party's name on the right of a letterhead."""
    key = fold(line).replace("–", "-")
    key = re.sub(r"\s*-\s*", " - ", key)
    return key.startswith(_MOTTO_KEYS) or key.startswith(
        ("hoa xa hoi chu nghia viet nam", "xa hoi chu nghia viet nam")
    )


def split_cells(lines: list[str]) -> list[str]:
    """A table flattened with "|" between cells: one line per non-empty cell."""
    out: list[str] = []
    for line in lines:
        if "|" not in line:
            out.append(line)
            continue
        out.extend(cell.strip() for cell in line.split("|") if cell.strip())
    return out


def code_at(lines: list[str], i: int, pattern: re.Pattern[str]) -> str | None:
    """The code of a "Số: X" line, or of "Số:" with X alone on the next line."""
    m = pattern.match(lines[i])
    if m:
        return m.group(1)
    if re.fullmatch(r"Số\s*:?", lines[i], re.IGNORECASE) and i + 1 < len(lines):
        nxt = CODE_RE.match(lines[i + 1])
        if nxt and nxt.end() >= len(lines[i + 1].rstrip(" .")):
            return nxt.group(0)
    return None


def is_blank_code(line: str) -> bool:
    """ "Số      -KH/BCĐ", "Số: /QĐ-UBND": a number left blank to be filled in by hand."""
    return bool(_BLANK_CODE.match(line))


def place_and_date(lines: list[str], i: int, pattern: re.Pattern[str]) -> tuple[str, date] | None:
    """Place and date from line `i`, from the line before and `i` ("Hà" / "Nội, ngày ..."),
    or from a place-and-date glued to other cells of the header."""
    candidates = [lines[i]]
    if i > 0 and len(lines[i - 1].split()) <= 2 and lines[i - 1][:1].isupper():
        candidates.append(lines[i - 1] + " " + lines[i])
    for text in candidates[::-1]:
        m = pattern.match(text)
        if m:
            d = parse_vietnamese_date("ngày " + m.group("date"))
            if d:
                return m.group("place").strip(), d
    m = _GLUED_PLACE_DATE.search(lines[i])
    if m and not is_upper_line(m.group("place")):
        d = parse_vietnamese_date("ngày " + m.group("date"))
        if d:
            return m.group("place"), d
    return None


def issuer_lines(header: list[str], is_code_line) -> list[str]:
    """The organ lines of a letterhead, a following place line joined to its organ
    ("ỦY BAN NHÂN DÂN" + "TỈNH THANH HÓA")."""
    out: list[str] = []
    previous_organ = False
    merged: list[str] = []
    for ln in header:
        # A word broken off its line ("ỦY" / "BAN NHÂN DÂN", "CỘNG" / "HÒA XÃ HỘI ...").
        if merged and len(merged[-1].split()) == 1 and is_upper_line(merged[-1]):
            if is_upper_line(ln) and len(merged[-1]) > 1 and not is_code_line(ln):
                merged[-1] = merged[-1] + " " + ln
                continue
        merged.append(ln)
    for ln in merged:
        if not is_upper_line(ln) or is_motto(ln) or is_code_line(ln):
            previous_organ = False
            continue
        if ORGAN_UPPER.search(ln):
            out.append(ln)
            previous_organ = True
        elif previous_organ and _LEVEL_START.match(ln):
            out[-1] = out[-1] + " " + ln
            previous_organ = False
        else:
            previous_organ = False
    return out


def joint_issuers(line: str, *, place: str | None, text: str) -> list[str]:
    """The bodies of one letterhead line, spelled the usual way.

    "A - B - C HUYỆN X" gives three bodies, each "… huyện X"; a State or Front body with no
    place ("ỦY BAN NHÂN DÂN") takes the level the text writes after it and the place of
    the date line, when there are several bodies.
    """
    parts = [p.strip() for p in re.split(r"\s+[-–]\s+", line) if p.strip()]
    if len(parts) < 2 or not all(ORGAN_UPPER.search(p) for p in parts):
        return [organ_case(line)]
    shared = _SHARED_PLACE.search(parts[-1])
    if shared:
        suffix = shared.group(1)
        parts[-1] = parts[-1][: shared.start()].strip()
        parts = [p if _SHARED_PLACE.search(p) else f"{p} {suffix}" for p in parts]
    names = [organ_case(p) for p in parts]
    if place:
        folded_text = fold(text)
        completed = []
        for name in names:
            key = fold(name)
            if any(f" {lvl} " in f" {key} " for lvl in _LEVELS_FOLDED) or not (
                "nhan dan" in key or "mat tran" in key
            ):
                completed.append(name)
                continue
            level = None
            m = re.search(re.escape(key) + r" (" + "|".join(_LEVELS_FOLDED) + r")\b", folded_text)
            if m:
                level = m.group(1)
            completed.append(f"{name} {_LEVEL_WORD[level]} {place}" if level else name)
        names = completed
    return names


_LEVEL_WORD = {
    "thanh pho": "thành phố",
    "thi xa": "thị xã",
    "thi tran": "thị trấn",
    "tinh": "tỉnh",
    "huyen": "huyện",
    "quan": "quận",
    "xa": "xã",
    "phuong": "phường",
}


def enacting_authority(lines: list[str]) -> str | None:
    """ "BỘ CHÍNH TRỊ QUYẾT ĐỊNH" → "Bộ Chính trị"; "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN X" on a
    line before "QUYẾT ĐỊNH:" → "Chủ tịch Ủy ban nhân dân huyện X"."""
    for i, ln in enumerate(lines):
        if not is_upper_line(ln):
            continue
        m = _AUTHORITY.match(ln)
        if m and m.group("org").strip() and ORGAN_UPPER.search(m.group("org")):
            return organ_case(m.group("org").strip(" ,:"))
        if _AUTHORITY_TITLE.match(ln) and ORGAN_UPPER.search(ln) and len(ln) < 120:
            rest = lines[i + 1 : i + 15]
            if any(re.fullmatch(r"QUYẾT ĐỊNH\s*:?", r) for r in rest):
                return organ_case(ln)
    return None
