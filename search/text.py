"""The accent-insensitive search key computed by PostgreSQL, equal to ``units.text.fold``.

``fold`` runs in Python where Django writes a folded column (``search_text`` of units and
directives). A task's key is written by a database trigger (migration ``search.0001``), so
it is the same whoever writes the task (forms, imports, COPY); the trigger folds in SQL with
``translate()``, since the embedded PostgreSQL has no ``unaccent``.
"""

from __future__ import annotations

import unicodedata

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
# SQL for the key of a text expression (the columns joined by spaces).
SQL_TEMPLATE = f"lower(translate((%(expressions)s), '{FOLD_FROM}', '{FOLD_TO}'))"
