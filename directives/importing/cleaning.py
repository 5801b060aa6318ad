"""Text cleaning for pasted or extracted directive text.

Directive texts arrive from Word files, PDFs and, very often, from copies of a web page.
`clean_text` turns any of these into plain paragraphs the structural parser can trust:

1. NFC-normalise (macOS and some PDF tools emit NFD), unify line endings, replace NBSP,
   zero-width and other odd spaces.
2. Drop web boilerplate lines: bare URLs, "Trang chủ", share / print links, session
   pop-ups, page counters ("Trang 2/5", "- 3 -"), copyright lines.
3. Strip markdown emphasis (`*x*`, `**x**`) but keep a line that is only "*": party
   documents print a star under the issuer, and the header parser uses it as a marker.
4. Remove footnote marks glued to words ("dân vận¹", "dân vận[1]"); a line that *starts*
   with a superscript digit is a footnote body and is kept (the structure parser skips it).
5. Rejoin paragraphs that a page break split in the middle of a sentence: a paragraph that
   does not end with punctuation, followed by one that starts with a lowercase letter.

`fold` (from `units.text`) is the accent-insensitive key used everywhere names are compared.
"""

from __future__ import annotations

import re
import unicodedata

from units.text import fold

_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")

# Lines that are web-site furniture, never part of a directive. Matched against the
# whole stripped line (case-insensitive) so real sentences that merely mention a word
# such as "chia sẻ" are never dropped.
_BOILERPLATE_LINES = [
    r"(https?://|www\.)\S+",
    r"trang chủ.*",
    r"(in bài|in trang|bản in|gửi email|gửi bài|chia sẻ|share|tweet|print|email)"
    r"( (bài viết|trang|này))?[:.]?",
    r"(chia sẻ|share)\s*(facebook|zalo|twitter).*",
    r"(facebook|zalo|twitter|linkedin)",
    r"(lượt xem|số lượt xem|lượt truy cập).*",
    r"(©|\(c\)|copyright|bản quyền).*",
    r".*ghi rõ nguồn.*",
    r"(trang|page)\s*\d+\s*(/|of|trên)\s*\d+",
    r"[-–]\s*\d{1,3}\s*[-–]",
    r"\d{1,3}",
    r".*bấm vào đây để.*",
    r"[-_=~.]{3,}",
    r".*thời gian chờ:\s*\d+\s*giây.*",
    r"(về đầu trang|quay lại|trở về|xem thêm|tin liên quan|tin khác|các tin khác).*",
    r"(đăng nhập|đăng ký|tìm kiếm)",
    r"(cỡ chữ|font size).*",
]
_BOILERPLATE_RE = re.compile(r"^(?:" + "|".join(_BOILERPLATE_LINES) + r")$", re.IGNORECASE)

# "dân vận¹." / "dân vận[1]" / "dân vận(1)" are footnote marks; "(1)" alone is too
# ambiguous (it also numbers list items), so only superscripts and square brackets.
_FOOTNOTE_MARK = re.compile(r"(?<=[^\s\d])(?:[" + _SUPERSCRIPT_DIGITS + r"]+|\[\d{1,3}\])")
_FOOTNOTE_BODY = re.compile(r"^(?:[" + _SUPERSCRIPT_DIGITS + r"]+|\[\d{1,3}\])\s+\S")

_MD_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_MD_UNDERSCORE = re.compile(r"(?<!\w)__?(?!\s)([^_\n]+?)(?<!\s)__?(?!\w)")

_END_PUNCT = tuple('.:;!?…"”»)')

__all__ = ["clean_text", "fold", "is_footnote_body", "normalize_spaces", "strip_markdown"]


def normalize_spaces(text: str) -> str:
    """Collapse runs of spaces inside a line (keeps newlines)."""
    return re.sub(r"[ ]{2,}", " ", text)


def is_footnote_body(line: str) -> bool:
    """True for a line that starts with a footnote number ("¹ Trọng tâm là ...")."""
    return bool(_FOOTNOTE_BODY.match(line.strip()))


def strip_markdown(text: str) -> str:
    """Remove `**bold**`, `*italic*` and `_x_` markers; a line that is only "*" stays."""
    text = _MD_BOLD.sub(r"\1", text)
    text = _MD_ITALIC.sub(r"\1", text)
    text = _MD_UNDERSCORE.sub(r"\1", text)
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped == "*":
            lines.append(line)
            continue
        # Unbalanced markers left at a line edge (a bold block split over lines).
        line = re.sub(r"^\s*\*{1,3}(?=\S)", "", line)
        line = re.sub(r"(?<=\S)\*{1,3}\s*$", "", line)
        lines.append(line)
    return "\n".join(lines)


def _is_title_line(line: str) -> bool:
    return line.upper() == line and any(ch.isalpha() for ch in line)


_LABEL_START = re.compile(
    r"^(?:[-–—+•*]|\d{1,2}(?:\.\d{1,2})*\s*[.)\-–](?!\s*[A-ZĐ][A-Za-zĐđ]{0,4}\s*/|\s*\d+\s*[-/.]\d)"
    r"|[IVX]{1,4}\s*[.\-–)]|[a-zđ]\))"
)


def _wrap_width(lines: list[str]) -> int | None:
    """The line width of hard-wrapped text (PDF extraction), or None for free paragraphs.

    Wrapped text has many lines of nearly the same, modest length; a Word or web text has
    one line per paragraph, whose lengths vary widely.
    """
    lengths = sorted(len(ln) for ln in lines if len(ln) > 20)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9) - 1]
    if width > 130:
        return None
    full = sum(1 for n in lengths if n >= 0.8 * width)
    return width if full >= 0.4 * len(lengths) else None


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Rejoin a sentence split by a page break or a hard line wrap (PDF text).

    1. A line starting with a lowercase letter continues the previous non-empty line when
       that line does not end with punctuation and is not a title in capitals (a title is
       followed by "về ..." on its own line in every party document).
    2. A line starting with a capital continues the previous line of the same block (no
       blank line between) when that line ends with a comma, or is long (a wrapped line)
       and ends without punctuation; never for labelled items, titles in capitals, or
       lines of the header and signature blocks.
    3. In hard-wrapped text (see `_wrap_width`) a line continues a previous line that
       filled the width, unless it is a labelled item or a title.
    """
    width = _wrap_width(lines)
    out: list[str] = []
    last = -1  # index in `out` of the last non-empty line
    prev_raw_len = 0
    for line in lines:
        if not line:
            out.append(line)
            continue
        prev = out[last] if last >= 0 else ""
        adjacent = last == len(out) - 1
        # 3. Hard-wrapped text (PDF): a full previous line always continues.
        if (
            width
            and adjacent
            and prev
            and prev_raw_len >= 0.7 * width
            and not _is_title_line(prev)
            and not (_is_title_line(line) and len(line.split()) > 1)
            and not _LABEL_START.match(line)
            and not re.match(r"^(kính gửi|nơi nhận)", line, re.IGNORECASE)
        ):
            out[last] = prev.rstrip() + " " + line
            prev_raw_len = len(line)
            continue
        prev_raw_len = len(line)
        joinable_prev = (
            prev
            and not _is_title_line(prev)
            and prev.strip() != "*"
            and not prev.rstrip().endswith(_END_PUNCT)
        )
        lower_join = joinable_prev and line[:1].islower()
        upper_join = (
            joinable_prev
            and adjacent
            and line[:1].isupper()
            and not _is_title_line(line)
            and not _LABEL_START.match(line)
            and not re.match(r"^(kính gửi|nơi nhận|số\b)", line, re.IGNORECASE)
            and not re.search(r",\s*ngày\s+\d", line)
            and (prev.rstrip().endswith(",") or len(prev) >= 70)
        )
        if lower_join or upper_join:
            out[last] = prev.rstrip() + " " + line
            del out[last + 1 :]
            continue
        out.append(line)
        last = len(out) - 1
    return out


def clean_text(text: str) -> str:
    """Return the text normalised for parsing (see the module docstring for the steps).

    Paragraphs are separated by one blank line; line breaks inside a block of consecutive
    lines are kept, because header blocks and multi-line titles depend on them.
    """
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = strip_markdown(text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = normalize_spaces(raw).strip()
        if line and _BOILERPLATE_RE.match(line):
            continue
        if line and not is_footnote_body(line):
            line = _FOOTNOTE_MARK.sub("", line)
        # A table-cell separator left over from a web page ("... hội nghị. |").
        line = re.sub(r"\s*\|\s*$", "", line)
        lines.append(line)
    lines = _join_broken_lines(lines)
    # Split into blocks of consecutive non-empty lines.
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return "\n\n".join(blocks).strip() + "\n" if blocks else ""
