"""Sends the heavy reads of dashboards and roll-ups to a PostgreSQL streaming replica when
one is configured (DATABASE_REPLICA_URL); everything else uses the primary.

Only code inside ``replica_reads()`` reads from the replica: figure computations done by
workers, which read nothing they have just written. A page never does, so a user always
reads their own writes. Figures computed on a replica carry the change counts read on the
same replica in the same snapshot (reports.figure_cache), so a replica that lags only
makes them refreshed again, never passed off as current.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_replica_reads = contextvars.ContextVar("replica_reads", default=False)


def replica_alias() -> str:
    return REPLICA if REPLICA in settings.DATABASES else "default"


@contextmanager
def replica_reads() -> Iterator[str]:
    """Reads inside go to the replica when there is one; yields the alias used."""
    token = _replica_reads.set(True)
    try:
        yield replica_alias()
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _replica_reads.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"
