"""Text helpers shared by every app: NFC storage and accent-insensitive search keys."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """The form text is stored in, whatever form (NFC, NFD) it was typed or pasted in."""
    return unicodedata.normalize("NFC", value)


def fold(value: str | None) -> str:
    """A search key: lower case, no diacritics, "đ" as "d", single spaces.

    "Dân vận khéo", "DAN VAN KHEO" and its NFD spelling all fold to "dan van kheo". Kept in
    Python rather than in the ``unaccent`` extension, which the embedded PostgreSQL lacks.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def words_q(column: str, key: str) -> Q:
    """Every word of the folded query ``key`` occurs in the search key ``column``."""
    q = Q()
    for word in key.split():
        q &= Q(**{f"{column}__contains": word})
    return q
