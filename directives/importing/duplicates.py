"""Is this document already in the system? Same issuer and number, or nearly the same text.

Only directives the user may see are compared: one they may not see is treated exactly
like one that does not exist, so the review never reveals it.
"""

from __future__ import annotations

import datetime
import re

from django.db.models import Q

from directives.models import Directive
from units.models import User

from .cleaning import fold

SIMILAR = 0.8  # share of word 5-grams two texts have in common to count as the same
_CANDIDATES = 30
_WORD = re.compile(r"\w+")


def _shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = _WORD.findall(fold(text or ""))
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word 5-grams (accents and case ignored)."""
    left, right = _shingles(a), _shingles(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def existing_copies(
    *,
    user: User,
    issuer_id: int | None,
    code: str,
    issued_on: datetime.date | None,
    subject: str,
    text: str,
) -> list[Directive]:
    """Directives ``user`` may see that this document seems to be a copy of.

    1. the same issuer and number;
    2. nearly the same text among those with the same number (any issuer: a joint
       document may have been filed under its other issuer), the same issue date or the
       same subject.
    One query when there is none, two when there are.
    """
    code = (code or "").strip()
    near = Q(pk__in=[])
    if code:
        near |= Q(code=code)
    if issued_on is not None:
        near |= Q(issued_on=issued_on)
    if (subject or "").strip():
        near |= Q(subject__iexact=subject.strip())
    visible = Directive.objects.visible_to(user)
    candidates = visible.filter(near).only("pk", "issuer_id", "code", "full_text")
    found = [
        candidate.pk
        for candidate in candidates.order_by("-issued_on", "-pk")[:_CANDIDATES]
        if (code and candidate.code == code and candidate.issuer_id == issuer_id)
        or (text and text_similarity(text, candidate.full_text) >= SIMILAR)
    ]
    if not found:
        return []
    return list(
        Directive.objects.filter(pk__in=found).select_related("issuer").order_by("-issued_on")
    )
