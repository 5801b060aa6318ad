"""Import of directive documents from text: cleaning, parsing, unit matching, evaluation.

Pure standard library (python-docx and pypdf are used only by `extract_text` when they are
installed). Public API:

* `parse_document(text, *, units=None, today=None) -> ParseResult` (`.to_json()`)
* `clean_text(text) -> str`, `fold(text) -> str`
* `parse_vietnamese_date(s) -> date | None`
* `parse_deadline(s, *, reference_date) -> Deadline | None`
* `UnitRef`, `match_unit(name, units, *, context_unit_name=None) -> UnitRef | None`
* `extract_text(filename, data) -> str`, `ImportTextError`
* `evaluate(dir_path) -> dict`, `format_report(report) -> str` (in `evaluate`)
"""

from __future__ import annotations

from .cleaning import clean_text, fold
from .dates import Deadline, parse_deadline, parse_vietnamese_date
from .extract import ImportTextError, extract_text
from .parser import ParseResult, TaskCandidate, parse_document
from .references import Reference, extract_references, normalize_code
from .units import UnitMatch, UnitRef, match_unit, resolve_unit, split_unit_list

__all__ = [
    "Deadline",
    "ImportTextError",
    "ParseResult",
    "Reference",
    "TaskCandidate",
    "UnitMatch",
    "UnitRef",
    "clean_text",
    "extract_references",
    "extract_text",
    "fold",
    "match_unit",
    "normalize_code",
    "parse_deadline",
    "parse_document",
    "parse_vietnamese_date",
    "resolve_unit",
    "split_unit_list",
]
