"""How a directive is named wherever it appears by itself (dashboards, drill-downs,
roll-up reports, exports): its number when it has one, else its type, date and subject,
never a bare "KL" or an empty cell."""

from __future__ import annotations

import datetime

from directives.models import DirectiveKind

SUBJECT_CHARS = 90


def directive_label(
    *,
    code: str,
    kind: str,
    issued_on: datetime.date | str | None,
    subject: str = "",
    confidential: bool = False,
) -> str:
    """ "56-KL/TU", or "Kết luận ngày 07/01/2019 về công tác dân vận" without a number
    (the subject left out when confidential, cut at a word when long)."""
    if code and code.strip():
        return code.strip()
    parts = [str(DirectiveKind(kind).label) if kind in DirectiveKind.values else (kind or "")]
    if isinstance(issued_on, str) and issued_on:
        issued_on = datetime.date.fromisoformat(issued_on)
    if issued_on:
        parts.append(f"ngày {issued_on:%d/%m/%Y}")
    subject = "" if confidential else " ".join((subject or "").split())
    if len(subject) > SUBJECT_CHARS:
        subject = subject[:SUBJECT_CHARS].rsplit(" ", 1)[0] + "…"
    if subject:
        parts.append(subject)
    return " ".join(p for p in parts if p) or "—"
