"""Unit names: splitting lists of units in text and matching them to known units.

Splitting (`split_unit_list`): "các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và
các đoàn thể chính trị - xã hội" names four responsible bodies. A comma or "và" starts a
new unit only when the next words begin a unit name (a *head word*: "các", "Ban",
"Ủy ban", "Mặt trận", "chính quyền", "Đoàn" ...); otherwise the words belong to the
previous name, so "các cấp ủy, tổ chức đảng", "Đảng ủy các xã, phường" and
"các sở, ban, ngành, đoàn thể tỉnh" each stay one name.

Matching (`match_unit`) compares `fold()`ed keys of the name as written against each
known unit's name, short name, abbreviation and aliases, after expanding the usual
abbreviations (UBND, HĐND, MTTQ, LLVT, BCĐ, UBKT, BTV, BCH, ...). When the text says only
"Ủy ban nhân dân thị xã" and the document is about Đức Phổ, `context_unit_name` (the
issuer, e.g. "Thị ủy Đức Phổ") supplies the place: "thị xã" becomes "thị xã Đức Phổ".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .cleaning import fold


@dataclass
class UnitRef:
    """A known unit the parser may match names against."""

    id: int | str
    name: str
    short_name: str = ""
    abbreviation: str = ""
    aliases: list[str] = field(default_factory=list)
    kind: str = ""
    parent_name: str = ""


@dataclass
class UnitMatch:
    """A unit named in the text: matched to a known unit, or proposed as new."""

    name: str
    unit_id: int | str | None = None
    matched_name: str | None = None

    @property
    def new(self) -> bool:
        return self.unit_id is None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "unit_id": self.unit_id,
            "matched_name": self.matched_name,
            "new": self.new,
        }


# Folded abbreviation → folded expansion. Applied word by word on folded text.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "ubmttqvn": "uy ban mat tran to quoc viet nam",
    "ttubmttq": "thuong truc uy ban mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam",
    "llvt": "luc luong vu trang",
    "bcd": "ban chi dao",
    "ubkt": "uy ban kiem tra",
    "btv": "ban thuong vu",
    "bch": "ban chap hanh",
    "tw": "trung uong",
    "tt": "thuong truc",
    "vptu": "van phong tinh uy",
    "vphu": "van phong huyen uy",
    "bdv": "ban dan van",
    "qcdc": "quy che dan chu",
    "hlhpn": "hoi lien hiep phu nu",
    "hlhtn": "hoi lien hiep thanh nien",
    "tndcs": "thanh nien dan chu cong san",
    "ccb": "cuu chien binh",
    "ldld": "lien doan lao dong",
    "cttu": "chu tich tinh uy",
    "ca": "cong an",
    "bchqs": "ban chi huy quan su",
}

# Words that begin the name of a responsible body, lowercase with diacritics (folding
# would confuse "Sở" with "Sơ kết"). "ủy"/"uỷ" spellings are unified before comparing.
HEAD_WORDS = [
    "các",
    "ban",
    "ủy ban",
    "ubnd",
    "hđnd",
    "mttq",
    "mặt trận",
    "hội đồng",
    "hội",
    "đoàn",
    "đảng ủy",
    "đảng đoàn",
    "đảng bộ",
    "chi bộ",
    "chính quyền",
    "thường trực",
    "ttubmttq",
    "thủ trưởng",
    "trưởng các",
    "người đứng đầu",
    "sở",
    "công an",
    "bộ chỉ huy",
    "bộ tư lệnh",
    "bộ đội",
    "văn phòng",
    "trung tâm",
    "liên đoàn",
    "tòa án",
    "viện kiểm sát",
    "ngân hàng",
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "thị ủy",
    "quận ủy",
    "tổ chức chính trị",
    "lực lượng",
    "llvt",
    "bcđ",
    "ubkt",
    "btv",
    "tt",
]
# Phrases that start like a body but are actions or things.
_NOT_HEAD = [
    "ban hành",
    "ban đầu",
    "hội nghị",
    "hội thảo",
    "hội thi",
    "hội nhập",
    "đoàn kết",
    "đoàn viên",
    "hội viên",
    "lực lượng nòng cốt",
]
# After "các", a body is named by one of these nouns ("các cấp ủy", "các sở"); "các giải
# pháp", "các phong trào" are not bodies.
_AFTER_CAC = {
    "cấp",
    "tổ",
    "cơ",
    "đơn",
    "sở",
    "ban",
    "ngành",
    "đoàn",
    "tỉnh",
    "huyện",
    "thị",
    "thành",
    "xã",
    "phường",
    "địa",
    "đảng",
    "chi",
    "đồng",
    "hội",
    "ủy",
    "lực",
    "bộ",
    "phòng",
    "trường",
    "doanh",
    "ngân",
    "trung",
    "chính",
    "mặt",
    "thôn",
    "khu",
    "ấp",
    "cán",
    "vị",
    "sư",
    "chức",
}


def _head_key(text: str) -> str:
    key = unicodedata.normalize("NFC", text).lower()
    key = key.replace("uỷ", "ủy").replace("toà", "tòa")
    return re.sub(r"\s+", " ", key).strip()


def starts_with_head(text: str) -> bool:
    """True when `text` begins with the name of a body ("Ban Dân vận", "các cấp ủy")."""
    key = _head_key(text)
    if any(key == n or key.startswith(n + " ") for n in _NOT_HEAD):
        return False
    for head in HEAD_WORDS:
        if key == head or key.startswith(head + " "):
            if head == "các":
                nxt = key[4:].split(" ", 1)[0].strip(",;:.")
                return nxt in _AFTER_CAC
            return True
    return False


# Collective phrases whose inner commas never separate bodies.
_PROTECTED = [
    "sở, ban, ngành, đoàn thể",
    "sở, ban, ngành",
    "ban, ngành, đoàn thể",
    "ban, ngành",
    "cơ quan, đơn vị",
    "cơ quan, tổ chức",
    "xã, phường, thị trấn",
    "xã, phường",
    "huyện, thị xã, thành phố",
    "huyện, thị, thành",
    "chính trị - xã hội",
    "chính trị-xã hội",
]

_LEVEL_WORDS = ["tinh", "thi xa", "huyen", "thanh pho", "quan", "xa", "phuong", "thi tran"]


def split_unit_list(text: str) -> list[str]:
    """Split a list of responsible bodies into names (see the module docstring)."""
    text = (text or "").strip(" ,;:.")
    if not text:
        return []
    placeholders: dict[str, str] = {}
    for i, phrase in enumerate(_PROTECTED):
        pattern = re.compile(re.escape(phrase).replace(r"\ ", r"\s*"), re.IGNORECASE)

        def _hide(m: re.Match[str], i: int = i) -> str:
            key = f"\x00{i}:{len(placeholders)}\x00"
            placeholders[key] = m.group(0)
            return key

        text = pattern.sub(_hide, text)
    parts = re.split(r"\s*;\s*", text)
    names: list[str] = []
    for part in parts:
        pieces = re.split(r"(\s*,\s*|\s+và\s+)", part)
        current = pieces[0]
        for sep, piece in zip(pieces[1::2], pieces[2::2], strict=False):
            restored = _restore(piece, placeholders)
            if starts_with_head(restored) and current.strip():
                names.append(current)
                current = piece
            else:
                current = current + sep + piece
        names.append(current)
    out = []
    for name in names:
        name = _restore(name, placeholders).strip(" ,;:.")
        if name:
            out.append(name)
    return out


def _restore(text: str, placeholders: dict[str, str]) -> str:
    for key, value in placeholders.items():
        text = text.replace(key, value)
    return text


def unit_key(name: str) -> str:
    """Folded name with abbreviations expanded, for matching."""
    words = fold(name).replace("-", " ").split()
    expanded = [ABBREVIATIONS.get(w, w) for w in words]
    key = " ".join(expanded)
    key = re.sub(r"^(cac dong chi|dong chi|cac)\s+", "", key)
    return re.sub(r"\s+", " ", key).strip()


def _place_of(context_unit_name: str | None) -> tuple[str, str] | None:
    """("thi xa", "duc pho") from "Thị ủy Đức Phổ" / "UBND thị xã Đức Phổ"."""
    if not context_unit_name:
        return None
    key = unit_key(context_unit_name)
    by_committee = {
        "tinh uy": "tinh",
        "thi uy": "thi xa",
        "huyen uy": "huyen",
        "thanh uy": "thanh pho",
        "quan uy": "quan",
    }
    for committee, level in by_committee.items():
        m = re.search(committee + r" (.+)$", key)
        if m:
            return level, m.group(1)
    for level in _LEVEL_WORDS:
        m = re.search(r"\b" + level + r" (.+)$", key)
        if m:
            return level, m.group(1)
    return None


def _with_context(key: str, context_unit_name: str | None) -> list[str]:
    """Candidate keys for `key`, adding the place named by the context unit."""
    keys = [key]
    place = _place_of(context_unit_name)
    if place:
        level, name = place
        if key.endswith(" " + level) or key == level:
            keys.append(key + " " + name)
        for committee, lvl in (
            ("tinh uy", "tinh"),
            ("thi uy", "thi xa"),
            ("huyen uy", "huyen"),
            ("thanh uy", "thanh pho"),
        ):
            if lvl == level and key.endswith(committee):
                keys.append(key + " " + name)
    return keys


def _unit_keys(unit: UnitRef) -> set[str]:
    names = [unit.name, unit.short_name, unit.abbreviation, *unit.aliases]
    return {unit_key(n) for n in names if n}


def _index(units: list[UnitRef]) -> dict[str, list[UnitRef]]:
    """Key → every unit having it. Built once per list of units (the import page and the
    commands pass the same list for every name of a document)."""
    cached = _INDEX_CACHE.get(id(units))
    if cached is not None and cached[0] is units and cached[1] == len(units):
        return cached[2]
    index: dict[str, list[UnitRef]] = {}
    for unit in units:
        for k in _unit_keys(unit):
            index.setdefault(k, []).append(unit)
    _INDEX_CACHE.clear()
    _INDEX_CACHE[id(units)] = (units, len(units), index)
    return index


_INDEX_CACHE: dict[int, tuple[list[UnitRef], int, dict[str, list[UnitRef]]]] = {}


def _one(candidates: list[UnitRef], place: tuple[str, str] | None) -> UnitRef | None:
    """The single unit among ``candidates``; when several share a name ("Ban Dân vận Thị
    ủy" is an alias of every town's board), the one of the document's place."""
    unique = list({id(u): u for u in candidates}.values())
    if len(unique) == 1:
        return unique[0]
    if place:
        here = [u for u in unique if any(f" {place[1]} " in f" {k} " for k in _unit_keys(u))]
        if len(here) == 1:
            return here[0]
    return None


def match_unit(
    name: str, units: list[UnitRef] | None, *, context_unit_name: str | None = None
) -> UnitRef | None:
    """The known unit that `name` (as written in the text) refers to, or None.

    1. Exact match of the folded, abbreviation-expanded key against every name, short
       name, abbreviation and alias; a key several units share is settled by the place
       of `context_unit_name`, else not matched.
    2. The same with the place of `context_unit_name` appended ("... thị xã" → "... thị xã
       Đức Phổ"; a body named without a place, "Mặt trận Tổ quốc", is the one of the
       document's place when such a unit exists).
    3. A key equal to a known name with its place removed, when exactly one unit fits
       (so "Ban Dân vận Tỉnh ủy" finds "Ban Dân vận Tỉnh ủy Kiên Giang" when it is the only
       such unit), or exactly one of the document's place.
    """
    if not name or not units:
        return None
    key = unit_key(name)
    index = _index(units)
    place = _place_of(context_unit_name)
    candidates = _with_context(key, context_unit_name)
    if place and not any(f" {lvl} " in f" {key} " for lvl in _LEVEL_WORDS):
        candidates.append(f"{key} {place[0]} {place[1]}")
    for candidate in candidates:
        if candidate in index:
            found = _one(index[candidate], place)
            if found is not None:
                return found
    prefix_hits = [
        u
        for k, us in index.items()
        if k.startswith(key + " ") and len(k.split()) - len(key.split()) <= 3
        for u in us
    ]
    return _one(prefix_hits, place) if prefix_hits else None


def resolve_unit(
    name: str, units: list[UnitRef] | None, *, context_unit_name: str | None = None
) -> UnitMatch:
    """A `UnitMatch` for `name`: never drops the name, marks it new when unmatched."""
    unit = match_unit(name, units, context_unit_name=context_unit_name)
    if unit is None:
        return UnitMatch(name=name)
    return UnitMatch(name=name, unit_id=unit.id, matched_name=unit.name)
