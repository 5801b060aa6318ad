"""Writes to directives and the links between them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from directives.models import Directive, DirectiveReference
from units.models import User


@dataclass(frozen=True)
class CitedDocument:
    code: str
    date: datetime.date | None = None
    issuer: str = ""
    text: str = ""


def _matching_directive(cited: CitedDocument) -> Directive | None:
    candidates = Directive.objects.filter(code=cited.code)
    if cited.date:
        candidates = candidates.filter(issued_on=cited.date)
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


@transaction.atomic
def directive_set_references(*, directive: Directive, cited: Iterable[CitedDocument]) -> None:
    """Record what ``directive`` cites, linking each citation to a known document."""
    for doc in cited:
        if doc.code == directive.code:
            continue
        DirectiveReference.objects.update_or_create(
            directive=directive,
            cited_code=doc.code,
            defaults={
                "cited_date": doc.date,
                "cited_issuer": doc.issuer,
                "cited_text": doc.text,
                "target": _matching_directive(doc),
            },
        )


def references_link_pending(*, directive: Directive) -> int:
    """Link earlier citations of ``directive`` that were waiting for it to arrive."""
    if not directive.code:
        return 0
    pending = DirectiveReference.objects.filter(target__isnull=True, cited_code=directive.code)
    pending = pending.filter(Q(cited_date__isnull=True) | Q(cited_date=directive.issued_on))
    return pending.exclude(directive=directive).update(target=directive)


@transaction.atomic
def directive_save(*, directive: Directive, by: User | None = None) -> Directive:
    """Save a directive and link what was waiting for it."""
    if directive.pk is None and by is not None:
        directive.created_by = by
    directive.full_clean(exclude=["created_by"])
    directive.save()
    references_link_pending(directive=directive)
    # Documents entered earlier whose subject says they carry this one out.
    from directives.importing.apply import implementations_link_pending

    implementations_link_pending(directive=directive)
    return directive
