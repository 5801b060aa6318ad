"""The accent-insensitive search key computed by PostgreSQL, equal to ``units.text.fold``.

``fold`` runs in Python for the columns we store folded (``search_text``). Task titles and
descriptions are not stored twice: the same key is computed in SQL with ``translate()``
(the embedded PostgreSQL has no ``unaccent``), and where ``pg_trgm`` exists an expression
index on exactly this text (migration ``search.0001``) makes ``LIKE '%word%'`` an index scan.
"""

from __future__ import annotations

import unicodedata

from django.db.models import F, Func, TextField

from units.text import fold


def _translation_table() -> tuple[str, str]:
    """Every Latin letter with diacritics (Vietnamese and the rest), and capitals, mapped to
    its folded letter; combining marks (text typed in NFD) at the end, mapped to nothing."""
    source, target = [], []
    ranges = [(0x41, 0x5A), (0xC0, 0x24F), (0x1E00, 0x1EFF)]
    for start, end in ranges:
        for code in range(start, end + 1):
            char = chr(code)
            folded = fold(char)
            if len(folded) == 1 and folded.isascii() and folded.isalpha() and folded != char:
                source.append(char)
                target.append(folded)
    marks = [chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))]
    return "".join(source) + "".join(marks), "".join(target)


FOLD_FROM, FOLD_TO = _translation_table()
# SQL text of the key of some columns joined by spaces; the index uses the same text.
SQL_TEMPLATE = f"lower(translate((%(expressions)s), '{FOLD_FROM}', '{FOLD_TO}'))"


class Folded(Func):
    """``fold()`` of the given text columns joined with a space, computed by PostgreSQL."""

    template = SQL_TEMPLATE
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self, *fields: str) -> None:
        super().__init__(*(F(name) for name in fields))


def index_sql(table: str, columns: tuple[str, ...]) -> str:
    """The expression of the trigram index on ``columns`` of ``table``, as ``Folded``."""
    joined = " || ' ' || ".join(f'"{column}"' for column in columns)
    return SQL_TEMPLATE % {"expressions": joined}
