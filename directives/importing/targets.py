"""Quantitative targets ("80% xã đạt chuẩn nông thôn mới") found in a text."""

from __future__ import annotations

import re

from .cleaning import fold
from .result import Target

_PERCENT = re.compile(
    r"(?P<cmp>(?:đạt\s+)?(?:trên|dưới|hơn|ít nhất|tối thiểu|tối đa|không dưới|không quá|"
    r"không thấp hơn|từ)\s+)?(?P<val>\d{1,3}(?:[.,]\d+)?)\s*%",
    re.IGNORECASE,
)


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


def targets_in(paragraphs: list[str]) -> list[str]:
    """The texts of the targets in `paragraphs`, in order, once each."""
    out: list[str] = []
    for para in paragraphs:
        for target in find_targets(para):
            if target.text not in out:
                out.append(target.text)
    return out
