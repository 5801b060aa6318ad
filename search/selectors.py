"""The header search: directives, tasks and units the user may see, ranked, one query each.

Matching is accent-insensitive and word by word ("dan van kheo" finds "Dân vận khéo"):
every word of the query must occur in the text. Ranking puts a match of the whole
phrase at the start of a title first, then the whole phrase anywhere, then the rest;
newer documents first within a rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When

from directives.models import Directive, Task
from search.models import TaskSearchText
from units.models import Unit
from units.text import fold, words_q

LIMIT = 10


@dataclass
class SearchResults:
    query: str
    directives: list[Directive] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.directives) + len(self.tasks) + len(self.units)


def rank(column: str, key: str) -> Case:
    return Case(
        When(**{f"{column}__startswith": key}, then=Value(3)),
        When(**{f"{column}__contains": key}, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


def search_everything(*, user, text: str | None, limit: int = LIMIT) -> SearchResults:
    """Up to ``limit`` directives, tasks and units matching ``text`` within ``user``'s scope.

    1. directives: their stored folded number, type and subject;
    2. tasks of the directives the user sees (not of confidential ones, whose content
       lists hide), by title and description;
    3. units the user sees, by name, abbreviation and aliases.
    """
    key = fold(text)
    results = SearchResults(query=text or "")
    if not key:
        return results
    visible = Directive.objects.visible_to(user)
    results.directives = list(
        visible.filter(words_q("search_text", key))
        .annotate(rank=rank("search_text", key))
        .select_related("issuer")
        .order_by("-rank", "-issued_on", "-pk")[:limit]
    )
    # The first tasks are chosen on the narrow search keys, then read whole: sorting
    # thousands of matching tasks with their texts and directives cost several times more.
    first = (
        TaskSearchText.objects.filter(
            words_q("text", key),
            directive__in=visible.filter(confidential=False).order_by().values("pk"),
        )
        .annotate(rank=rank("text", key))
        .order_by("-rank", "-directive__issued_on", "task__order", "task_id")
        .values("task_id")[:limit]
    )
    results.tasks = list(
        Task.objects.filter(pk__in=first)
        .annotate(rank=rank("search_entry__text", key))
        .select_related("directive", "directive__issuer")
        .order_by("-rank", "-directive__issued_on", "order", "pk")
    )
    results.units = list(
        Unit.objects.visible_to(user)
        .filter(search_text__contains=key)
        .annotate(rank=rank("search_text", key))
        .order_by("-rank", "depth", "name")[:limit]
    )
    return results
