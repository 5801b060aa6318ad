"""The slice every figure is taken over, and the building blocks reports/aggregates.py
composes its figures from: the assignments in a slice, their status as of a day, and the
small conversions shared by several figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from directives.models import Assignment, DirectiveStatus, ProgressReport, ReportStatus
from directives.naming import directive_label
from directives.status import (
    DONE,
    OPEN,
    RECURRENCE_MONTHS,
    MonthsBefore,
    Status,
    local_today,
    status_expression,
)
from units.models import Unit
from units.selectors import units_absorbed_into

# A limit no query reaches. An aggregate over a sliced queryset reads it as an inner
# query, and a LIMIT keeps PostgreSQL from folding that inner query into the outer one,
# which would write each of its columns (a subquery, ``due_on_as_of``) again at every use.
ALL_ROWS = 10**12

STEPLEN = Unit.steplen
# Bumped when the figures gain or change a key, so figures stored in an older shape are
# not shown (reports/figure_cache.py keys stored figures by it).
FIGURES_FORMAT = 2
# The status columns every count below is made of, in the order tables show them.
STATUS_KEYS = [s.value for s in Status]


@dataclass(frozen=True)
class Slice:
    """What a set of figures is about. ``path`` is a unit's materialised path ("" for the
    whole tree, which only administrators get)."""

    path: str
    as_of: datetime.date
    start: datetime.date | None = None
    directive_id: int | None = None
    kind: str | None = None

    def previous(self) -> Slice | None:
        """The same slice as it stood the day before the period began."""
        if self.start is None:
            return None
        return replace(self, as_of=self.start - datetime.timedelta(days=1), start=None)

    def at(self, day: datetime.date) -> Slice:
        return replace(self, as_of=day, start=None)


# --- Building blocks --------------------------------------------------------------------


def assignments_in(s: Slice) -> QuerySet[Assignment]:
    """The assignments a slice counts (see the module docstring), unannotated."""
    where = Q(unit__path__startswith=s.path)
    if s.path:
        # Work of units merged into this subtree by ``as_of`` counts under the successor.
        # Both sets are read from the units table, the subtree by its path index, and
        # joined by UNION: an OR of the two left PostgreSQL guessing half of all units,
        # hence half of all assignments, and choosing its plans for that.
        absorbed = units_absorbed_into(path=s.path, as_of=s.as_of).values("pk")
        where = Q(
            unit__in=Unit.objects.order_by()
            .filter(path__startswith=s.path)
            .values("pk")
            .union(absorbed)
        )
    qs = Assignment.objects.filter(where, task__directive__issued_on__lte=s.as_of).exclude(
        task__directive__status=DirectiveStatus.DRAFT
    )
    if s.directive_id:
        qs = qs.filter(task__directive_id=s.directive_id)
    if s.kind:
        qs = qs.filter(task__directive__kind=s.kind)
    return qs


# The columns of the status rules that read the same on every day: a cancellation is not
# dated, and the original due date is read only for a completed assignment, which a
# recurring duty never is.
SAME_ON_ANY_DAY = ("cancelled", "original_due_on")


def with_columns_as_of(
    qs: QuerySet, day: datetime.date, prefix: str, *, select: bool = False
) -> QuerySet:
    """``qs`` with aliases ``<prefix>completed_on`` and ``<prefix>due_on``: an
    assignment's columns as they stood on ``day``. A completion after ``day`` reads as no
    completion; a recurring duty has the due date of the occurrence it was waiting for
    (``due_on_as_of``). With ``select`` they are annotations, which an aggregate reads
    from an inner query where they are computed once per row."""
    return (qs.annotate if select else qs.alias)(
        **{
            f"{prefix}completed_on": Case(
                When(completed_on__lte=day, then=F("completed_on")),
                default=Value(None),
                output_field=DateField(),
            ),
            f"{prefix}due_on": due_on_as_of(day),
        }
    )


def status_as_of(day: datetime.date, prefix: str) -> Case:
    """The status CASE of directives/status.py over the columns ``with_columns_as_of``
    gave with ``prefix``."""
    return status_expression(today=day, prefix=prefix, unprefixed=SAME_ON_ANY_DAY)


def with_status_as_of(qs: QuerySet, day: datetime.date, name: str = "st") -> QuerySet:
    """``qs`` with an alias ``name`` holding each assignment's status on ``day``: the
    status CASE over the columns as they stood on ``day`` (``with_columns_as_of``)."""
    prefix = f"{name}_"
    qs = with_columns_as_of(qs, day, prefix)
    return qs.alias(**{name: status_as_of(day, prefix)})


def due_on_as_of(day: datetime.date):
    """SQL: the due date an assignment had on ``day``.

    A recurring duty's due date steps to its next occurrence each time a completing report
    is accepted (directives/services/progress.py), so on ``day`` it stood one occurrence
    earlier for each completing report dated after ``day``: the current date stepped back
    that many periods. Other assignments keep their due date.

    The count is a subquery per row, run only where it can be non-zero: for a recurring
    duty whose latest accepted report (``last_reported_on``, kept by the same service) is
    after ``day`` or unknown, and never for today or later (no report is dated in the
    future)."""
    if day >= local_today():
        return F("due_on")
    later = (
        ProgressReport.objects.filter(
            assignment=OuterRef("pk"),
            completed=True,
            status=ReportStatus.ACCEPTED,
            reported_on__gt=day,
        )
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    months = Case(
        *(When(recurrence=key, then=Value(n)) for key, n in RECURRENCE_MONTHS.items()),
        output_field=IntegerField(),
    )
    return Case(
        When(
            Q(recurrence__in=list(RECURRENCE_MONTHS), due_on__isnull=False)
            & (Q(last_reported_on__isnull=True) | Q(last_reported_on__gt=day)),
            then=MonthsBefore(F("due_on"), Coalesce(Subquery(later), 0) * months),
        ),
        default=F("due_on"),
        output_field=DateField(),
    )


def _status_counts_kwargs(name: str = "st", extra: Q | None = None) -> dict:
    extra = extra or Q()
    counts = {key: Count("pk", filter=Q(**{name: key}) & extra) for key in STATUS_KEYS}
    counts["total"] = Count("pk", filter=~Q(**{name: Status.CANCELLED.value}) & extra)
    return counts


def _rate(on_time: int, done: int) -> float | None:
    if not done:
        return None
    value = Decimal(on_time * 100) / Decimal(done)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _finish_counts(row: dict) -> dict:
    """Adds the derived columns every count row carries: done, open, on-time rate."""
    row["done"] = sum(row[s.value] for s in DONE)
    row["open"] = sum(row[s.value] for s in OPEN)
    row["on_time_rate"] = _rate(row[Status.DONE_ON_TIME.value], row["done"])
    return row


# The directive columns a row needs to be named by ``directive_label``.
DIRECTIVE_FIELDS = (
    "task__directive__code",
    "task__directive__kind",
    "task__directive__issued_on",
    "task__directive__subject",
    "task__directive__confidential",
)


def _directive(r: dict) -> str:
    return directive_label(
        code=r["task__directive__code"],
        kind=r["task__directive__kind"],
        issued_on=r["task__directive__issued_on"],
        subject=r["task__directive__subject"],
        confidential=r["task__directive__confidential"],
    )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
