"""The end of a document: the "Nơi nhận" list and the signature block."""

from __future__ import annotations

import re

from .result import ParseResult, Recipient
from .wording import is_person_name, is_upper_line

_SIGN_ON_BEHALF = re.compile(r"^(T/M|TM\.?|K/T|KT\.?|Q/|Q\.|TL\.?|T/L|TUQ\.?)\s*\S", re.IGNORECASE)
_SIGN_TITLES = re.compile(
    r"^(PHÓ )?(BÍ THƯ|TRƯỞNG BAN|CHỦ TỊCH|CHÁNH VĂN PHÒNG|GIÁM ĐỐC|CHỦ NHIỆM|TRƯỞNG PHÒNG)"
)
_RECIPIENT_NOTE = re.compile(
    r"\s*\((?P<note>[^()]*(?:b/c|báo cáo|để biết|t/h|thực hiện|chỉ đạo|phối hợp|theo dõi|"
    r"để b/c|để t/h|thay b/c|đ/b|để chỉ đạo)[^()]*)\)\s*$",
    re.IGNORECASE,
)


def recipient(line: str) -> Recipient:
    """One line of "Nơi nhận" / "Kính gửi": the name and a note such as "(b/c)"."""
    name = re.sub(r"^[-–+•]\s*", "", line.strip())
    name = name.rstrip(" ,;.")
    note = None
    m = _RECIPIENT_NOTE.search(name)
    if m:
        note = m.group("note").strip()
        name = name[: m.start()].rstrip(" ,;.")
    return Recipient(name=name, note=note)


def read_footer(lines: list[str], body_start: int, res: ParseResult) -> int:
    """Fill recipients and signer from the end of `lines`; return where the body ends."""
    end = len(lines)
    noi_nhan = None
    for i in range(len(lines) - 1, body_start - 1, -1):
        if re.match(r"^nơi nhận\s*:?", lines[i], re.IGNORECASE):
            noi_nhan = i
            break
    sign_idx = None
    for i in range(len(lines) - 1, max(body_start, len(lines) - 40) - 1, -1):
        if _SIGN_ON_BEHALF.match(lines[i]) and is_upper_line(lines[i]):
            sign_idx = i
            break
    if noi_nhan is not None:
        end = noi_nhan
        first = re.sub(r"^nơi nhận\s*:?\s*", "", lines[noi_nhan], flags=re.IGNORECASE)
        candidates = ([first] if first else []) + lines[noi_nhan + 1 :]
        for ln in candidates:
            if re.match(r"^[-–+•]", ln):
                res.recipients.append(recipient(ln))
    if sign_idx is not None:
        end = min(end, sign_idx)
        res.signer.on_behalf = lines[sign_idx]
        after = [ln for ln in lines[sign_idx + 1 :] if not re.match(r"^[-–+•]", ln)]
        after = [ln for ln in after if not re.match(r"^nơi nhận", ln, re.IGNORECASE)]
        if after and is_upper_line(after[0]):
            res.signer.title = after[0]
            after = after[1:]
        for ln in after:
            if is_person_name(ln):
                res.signer.name = ln
                break
    else:
        # No "T/M": a bare title ("BÍ THƯ") followed by a name.
        for i in range(len(lines) - 1, max(body_start, len(lines) - 8) - 1, -1):
            if _SIGN_TITLES.match(lines[i]) and is_upper_line(lines[i]):
                res.signer.title = lines[i]
                nxt = lines[i + 1 : i + 2]
                if nxt and not is_upper_line(nxt[0]):
                    res.signer.name = nxt[0]
                end = min(end, i)
                break
    return end
