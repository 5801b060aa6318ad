"""Writing rows fast: PostgreSQL COPY in batches, with ids taken ahead of the rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection


@dataclass
class Counter:
    next_id: int

    def take(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value


def quote(column: str) -> str:
    return f'"{column}"'


class Copier:
    """Streams rows into a table with COPY, a batch at a time."""

    def __init__(self, table: str, columns: list[str], batch: int = 100_000) -> None:
        self.table, self.columns, self.batch = table, columns, batch
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.pending = 0
        self.total = 0

    def add(self, row: Iterable) -> None:
        self.writer.writerow(["\\N" if v is None else v for v in row])
        self.pending += 1
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {self.table} ({', '.join(quote(c) for c in self.columns)}) FROM STDIN "
                "WITH (FORMAT csv, NULL '\\N')",
                self.buffer,
            )
        self.total += self.pending
        self.pending = 0
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)


def max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0]


def reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )
