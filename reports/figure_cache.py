"""Stored dashboard figures, kept honest by the change counts of reports.FigureVersion.

A dashboard asks for the figures of a slice:

* none stored yet: they are computed now, stored and shown;
* stored, and no branch the slice covers has changed since (the version sum read before
  computing them is still the sum now): shown as they are, they are current;
* stored but out of date: when the last computation was quick they are computed again
  now; when it was slow (a national or provincial view over a million assignments) they
  are shown with the time they were computed and a note that they are being updated, and
  a worker computes them again. The page asks again a few seconds later. A slow slice is
  queued again no sooner than ``REFRESH_SPACING`` × its last duration after its last
  computation, nor sooner than ``MIN_REFRESH_INTERVAL``: figures that change all day long
  are at most a few minutes old, and do not keep the workers and the database busy.

Two requests that open the same slice for the first time compute it once: the second
waits for the first (a transaction-scoped advisory lock on the slice's key) and reads
what it stored. A slice nobody has opened is computed in the request unless another slice
of the same units took longer than ``FIGURES_FIRST_VIEW_LIMIT_MS`` (the national view
filtered by one document type, say): then the page says its figures are being computed for the first
time, a worker computes them, and the page asks again until they are there.

The dashboard keeps the start of each long list; its .xlsx download keeps every row
(``whole`` slices), stored the same way.

A periodic job keeps the slices people look at current: it recomputes the stale ones and,
after midnight, yesterday's "up to today" views for the new day.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from psycopg2.extras import Json

from config.celery import hand_over
from config.db_router import replica_reads
from directives.status import local_today
from reports.aggregates import FIGURES_FORMAT, Slice, figures_compute
from reports.models import (
    BRANCH_DEPTH,
    SHARED_BRANCH,
    FigureCache,
    FigureVersion,
    ReportingPeriod,
)
from units.models import Unit

# The task that refreshes one slice (reports/tasks.py), sent by name: tasks import this.
FIGURES_REFRESH = "reports.figures_refresh"
BRANCH_LENGTH = BRANCH_DEPTH * Unit.steplen
# A worker that claimed a refresh and has not finished after this long is presumed gone.
CLAIM_TIMEOUT = datetime.timedelta(minutes=5)
# How often viewing a slice records that it is still looked at (a write per view is waste).
VIEWED_RESOLUTION = datetime.timedelta(minutes=10)
# Slices nobody has looked at for this long are no longer kept current, then forgotten.
KEEP_WARM = datetime.timedelta(days=2)
FORGET_AFTER = datetime.timedelta(days=14)
# A slow slice is queued again no sooner than this many times its last duration after its
# last computation, and no sooner than MIN_REFRESH_INTERVAL.
REFRESH_SPACING = 10
MIN_REFRESH_INTERVAL = datetime.timedelta(minutes=5)


# Long lists a page shows the start of; the downloads have every row. Stored figures keep
# only that start, with each list's full length under "totals".
PAGE_ROWS = 30
LONG_LISTS = ("by_directive", "indicators", "due_this_week")


def page_rows(figures: dict) -> dict:
    """The start of each long list, for a page, and the full lengths."""
    totals = figures.get("totals") or {key: len(figures[key]) for key in LONG_LISTS}
    return {
        "directive_rows": figures["by_directive"][:PAGE_ROWS],
        "indicator_rows": figures["indicators"][:PAGE_ROWS],
        "week_rows": figures["due_this_week"][:PAGE_ROWS],
        "totals": totals,
    }


def _for_page(figures: dict) -> dict:
    trimmed = {**figures, "totals": {key: len(figures[key]) for key in LONG_LISTS}}
    for key in LONG_LISTS:
        trimmed[key] = figures[key][:PAGE_ROWS]
    return trimmed


@dataclass
class StoredFigures:
    figures: dict
    computed_at: datetime.datetime
    current: bool
    refreshing: bool
    key: str = ""
    pending: bool = False  # never computed yet: ``figures`` is empty, a worker is on it


# The version of a slice's row while its first computation is left to a worker.
PENDING_VERSION = -1


def slice_params(
    s: Slice,
    *,
    root_id: int | None,
    overdue_limit: int | None,
    period_id: int | None = None,
    whole: bool = False,
) -> dict:
    """What identifies a slice's figures; ``live`` marks "up to today" views, which the
    periodic job carries over to the next day; ``whole`` keeps every row of the long lists
    (the downloads), not only the start a page shows."""
    extra = {"whole": True} if whole else {}
    return extra | {
        "period_id": period_id,
        "path": s.path,
        "as_of": s.as_of.isoformat(),
        "start": s.start.isoformat() if s.start else None,
        "directive_id": s.directive_id,
        "kind": s.kind,
        "root_id": root_id,
        "overdue_limit": overdue_limit,
        "live": s.as_of == local_today(),
    }


def params_key(params: dict) -> str:
    identity = {k: v for k, v in params.items() if k != "live"} | {"format": FIGURES_FORMAT}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def params_slice(params: dict) -> Slice:
    return Slice(
        path=params["path"],
        as_of=datetime.date.fromisoformat(params["as_of"]),
        start=datetime.date.fromisoformat(params["start"]) if params["start"] else None,
        directive_id=params["directive_id"],
        kind=params["kind"],
    )


def version_of(path: str) -> int:
    """The sum of the change counts of every branch a slice at ``path`` covers, and of
    the shared branch. One query."""
    if len(path) >= BRANCH_LENGTH:
        covered = Q(branch=path[:BRANCH_LENGTH])
    else:
        covered = Q(branch__startswith=path)
    total = FigureVersion.objects.filter(covered | Q(branch=SHARED_BRANCH)).aggregate(
        v=Sum("version")
    )["v"]
    return int(total or 0)


def _compute(
    params: dict, *, root: Unit | None, version: int | None = None
) -> tuple[int, dict, int]:
    """The figures of ``params`` and the version they are at. The version is read before
    the figures (or given, read just before), so every change it counts is in them; later
    ones may be too, which only costs an extra refresh. Started outside a transaction (a
    worker), everything is read in one REPEATABLE READ snapshot, so the figures also
    agree with each other."""
    started = time.perf_counter()
    s = params_slice(params)
    if version is None and not connection.in_atomic_block:
        # A worker: the replica when there is one (config/db_router.py), one snapshot.
        with replica_reads() as alias, transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            version = version_of(params["path"])
            figures = figures_compute(s=s, root=root, overdue_limit=params["overdue_limit"])
    else:
        if version is None:
            version = version_of(params["path"])
        figures = figures_compute(s=s, root=root, overdue_limit=params["overdue_limit"])
    duration = int((time.perf_counter() - started) * 1000)
    return version, figures if params.get("whole") else _for_page(figures), duration


def _store(key: str, params: dict, version: int, figures: dict, duration: int) -> datetime.datetime:
    """Keeps the newest: a slower computation that read an older version never replaces
    a newer one. A refresh leaves ``viewed_at`` alone, so slices nobody looks at any more
    stop being refreshed and are forgotten. One statement; returns the time stored."""
    now = timezone.now()
    table = FigureCache._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS c (key, params, version, figures, computed_at,
                                      duration_ms, viewed_at, refresh_claimed_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, NULL)
            ON CONFLICT (key) DO UPDATE SET
                params = EXCLUDED.params, version = EXCLUDED.version,
                figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at,
                duration_ms = EXCLUDED.duration_ms, refresh_claimed_at = NULL,
                workbook = NULL
            WHERE c.version <= EXCLUDED.version
            """,
            [key, Json(params), version, Json(figures), now, duration, now],
        )
    return now


def stored_workbook(stored: StoredFigures, build: Callable[[dict], bytes]) -> bytes:
    """The .xlsx of ``stored`` figures: built by ``build`` the first time they are
    downloaded, kept with them until they are computed again. Two queries at most."""
    rows = FigureCache.objects.filter(key=stored.key, computed_at=stored.computed_at)
    kept = rows.values_list("workbook", flat=True).first()
    if kept is not None:
        return bytes(kept)
    content = build(stored.figures)
    rows.update(workbook=content)
    return content


def figures_refresh(params: dict) -> bool:
    """Computes and stores the figures of ``params`` unless they are already current.
    Returns whether it computed."""
    key = params_key(params)
    row = FigureCache.objects.filter(key=key).only("version").first()
    if row is not None and row.version == version_of(params["path"]):
        FigureCache.objects.filter(key=key).update(refresh_claimed_at=None)
        return False
    root = Unit.objects.filter(pk=params["root_id"]).first() if params["root_id"] else None
    version, figures, duration = _compute(params, root=root)
    _store(key, params, version, figures, duration)
    return True


def _claim_refresh(row: FigureCache) -> bool:
    """At most one worker refreshes a slice at a time: the claim is a conditional update."""
    now = timezone.now()
    return bool(
        FigureCache.objects.filter(pk=row.pk)
        .filter(Q(refresh_claimed_at__isnull=True) | Q(refresh_claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(refresh_claimed_at=now)
    )


def _enqueue_refresh(params: dict) -> None:
    """Hands the refresh to a worker after commit; never waits on a dead broker (the
    periodic job then picks the slice up)."""

    def send() -> None:
        with hand_over("figure refresh left to the periodic job") as send_task:
            send_task(FIGURES_REFRESH, args=[params])

    transaction.on_commit(send)


def refresh_delay(row: FigureCache, now: datetime.datetime) -> float:
    """Seconds before a slow slice may be queued again (see the module docstring)."""
    spacing = max(
        datetime.timedelta(milliseconds=row.duration_ms * REFRESH_SPACING), MIN_REFRESH_INTERVAL
    )
    return max((row.computed_at + spacing - now).total_seconds(), 0.0)


def _compute_now(key: str, params: dict, version: int, root: Unit | None) -> StoredFigures:
    """Computes a slice in the request (a first view, or a quick one out of date), once
    however many ask for it at the same moment: the others wait on the lock, then find it
    stored."""
    lock = int(key[:15], 16)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock])
        if not cursor.fetchone()[0]:
            # Another request is computing it: wait for it, then read what it stored.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
            row = FigureCache.objects.filter(key=key).defer("workbook").first()
            if row is not None and row.version == version:
                return StoredFigures(row.figures, row.computed_at, True, False, key)
        version, figures, duration = _compute(params, root=root, version=version)
        computed_at = _store(key, params, version, figures, duration)
    return StoredFigures(figures, computed_at, True, False, key)


def _slow_units(path: str) -> int | None:
    """The longest computation stored for any slice of the units at ``path``, when it
    took longer than a first view may wait; None otherwise. One query on a small table."""
    longest = FigureCache.objects.filter(params__path=path).aggregate(m=Max("duration_ms"))["m"]
    return longest if longest and longest > settings.FIGURES_FIRST_VIEW_LIMIT_MS else None


def _first_view_queued(key: str, params: dict, estimate: int) -> StoredFigures:
    """Records the slice as pending (claimed, so one worker computes it) and queues it."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {FigureCache._meta.db_table} (key, params, version, figures,
                computed_at, duration_ms, viewed_at, refresh_claimed_at)
            VALUES (%s, %s, %s, '{{}}', %s, %s, %s, %s)
            ON CONFLICT (key) DO NOTHING RETURNING id
            """,
            [key, Json(params), PENDING_VERSION, now, estimate, now, now],
        )
        if cursor.fetchone() is not None:
            _enqueue_refresh(params)
    return StoredFigures({}, now, False, True, key, pending=True)


def figures_for(
    s: Slice,
    *,
    root: Unit | None,
    overdue_limit: int | None,
    period_id: int | None = None,
    whole: bool = False,
) -> StoredFigures:
    """The figures of slice ``s`` for a page: current ones, or the last stored ones with
    their time while a worker brings them up to date (see the module docstring)."""
    params = slice_params(
        s,
        root_id=root.pk if root else None,
        overdue_limit=overdue_limit,
        period_id=period_id,
        whole=whole,
    )
    key = params_key(params)
    version = version_of(s.path)
    row = FigureCache.objects.filter(key=key).defer("workbook").first()
    now = timezone.now()
    if row is not None and row.version == version:
        if now - row.viewed_at > VIEWED_RESOLUTION:
            FigureCache.objects.filter(pk=row.pk).update(viewed_at=now)
        return StoredFigures(row.figures, row.computed_at, True, False, key)
    if row is None:
        estimate = _slow_units(s.path)
        if estimate is not None:
            return _first_view_queued(key, params, estimate)
        return _compute_now(key, params, version, root)
    pending = row.version == PENDING_VERSION
    if not pending and row.duration_ms <= settings.FIGURES_INLINE_LIMIT_MS:
        return _compute_now(key, params, version, root)
    # Slow: computed again by a worker, once its spacing since the last computation has
    # passed (until then the page says the figures will be updated shortly; a later view
    # or the periodic job queues it).
    claimed = (pending or refresh_delay(row, now) == 0) and _claim_refresh(row)
    if claimed:
        _enqueue_refresh(params)
    refreshing = claimed or (
        row.refresh_claimed_at is not None and now - row.refresh_claimed_at < CLAIM_TIMEOUT
    )
    if now - row.viewed_at > VIEWED_RESOLUTION:
        FigureCache.objects.filter(pk=row.pk).update(viewed_at=now)
    return StoredFigures(row.figures, row.computed_at, False, refreshing, key, pending=pending)


def _carried_over(params: dict, today: datetime.date) -> dict | None:
    """An "up to today" slice as it reads ``today``: the year to date of this year, or the
    same period while it runs (a period that has ended is no longer "up to today")."""
    if params.get("period_id"):
        period = ReportingPeriod.objects.filter(pk=params["period_id"]).first()
        if period is None or period.end_on < today or period.start_on > today:
            return None
        start = period.start_on
    else:
        start = datetime.date(today.year, 1, 1)
    return {**params, "as_of": today.isoformat(), "start": start.isoformat(), "live": True}


def figures_keep_warm(*, today: datetime.date | None = None) -> dict:
    """The periodic job: for each slice viewed lately, recompute it if it is out of date;
    carry "up to today" slices over to ``today``; forget slices nobody looks at."""
    today = today or local_today()
    now = timezone.now()
    done = {"refreshed": 0, "carried": 0, "forgotten": 0}
    done["forgotten"], _ = FigureCache.objects.filter(viewed_at__lt=now - FORGET_AFTER).delete()
    recent = FigureCache.objects.filter(viewed_at__gte=now - KEEP_WARM).order_by(
        F("duration_ms").desc()
    )
    rows = list(recent.only("key", "params"))
    known = {row.key for row in rows}
    for row in rows:
        params = row.params
        if params.get("live") and params["as_of"] != today.isoformat():
            params = _carried_over(params, today)
            key = params_key(params) if params else None
            if key is None or key in known:
                continue  # ended, or the new day's slice is in the list itself
            known.add(key)
            done["carried"] += figures_refresh(params)
        else:
            done["refreshed"] += figures_refresh(params)
    return done
