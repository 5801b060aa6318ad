"""Measure the parser against hand-written expectations.

A folder holds `NAME.txt` (the document) and `NAME.expected.json` (what a careful person
extracts, in the compact shape of `ParseResult.to_json()`). `evaluate(folder)` parses
every document and counts, per field, true positives (TP), false positives (FP: the
parser proposed a value that is wrong or not expected) and false negatives (FN: an
expected value the parser missed or got wrong). A wrong value counts once as FP and once
as FN, because the user must both delete it and type the right one.

How each field is compared:

* Names and short strings (`kind`, `code`, `issuer`, `place`, `term`, the signer's
  `on_behalf`, `title`, `name`) are equal when their `fold()` keys are equal (case,
  diacritics, "đ" and spacing ignored). `issued_on` is compared as the ISO string.
* Long texts (`subject`, task `text`, `targets`) are equal when the similarity ratio of
  their folded forms (`difflib.SequenceMatcher`) is at least `TEXT_THRESHOLD` (0.85).
* A null expected value and a null proposal count nothing (nothing to do for the user).
* `references`: a set of (code, date, issuer) triples; code and issuer folded. A
  reference is a TP only when all three agree.
* `recipients`: a set of folded names. `targets`: a list matched one-to-one by text.
* `tasks`: a proposed task is paired with an unpaired expected task of the same `section`
  whose text is similar enough (best ratio first). Each pair then scores the sub-fields
  `tasks.lead` (folded), `tasks.coordinating` (set of folded names), `tasks.deadline`,
  `tasks.recurrence` and `tasks.ongoing` (exact) like scalar fields, and `tasks.text` is a
  TP. An unpaired proposal is an FP in every sub-field that has a value (text always),
  an unpaired expectation an FN in the same way.
* The overall score is the micro-average over all fields: precision = ΣTP / (ΣTP + ΣFP),
  recall = ΣTP / (ΣTP + ΣFN), F1 their harmonic mean; a field with no counts is skipped.
"""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from pathlib import Path

from .cleaning import fold
from .parser import parse_document

TEXT_THRESHOLD = 0.85
SCALAR_FIELDS = ["kind", "code", "issuer", "place", "issued_on", "term"]
SIGNER_FIELDS = ["on_behalf", "title", "name"]
TASK_FIELDS = ["text", "lead", "coordinating", "deadline", "recurrence", "ongoing"]


def similarity(a: str | None, b: str | None) -> float:
    """Ratio in [0, 1] of two texts after `fold()`."""
    fa, fb = fold(a or ""), fold(b or "")
    if fa == fb:
        return 1.0
    if not fa or not fb:
        return 0.0
    return SequenceMatcher(None, fa, fb, autojunk=False).ratio()


class _Counts:
    def __init__(self) -> None:
        self.fields: dict[str, dict[str, int]] = {}

    def add(self, field: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        row = self.fields.setdefault(field, {"tp": 0, "fp": 0, "fn": 0})
        row["tp"] += tp
        row["fp"] += fp
        row["fn"] += fn

    def scalar(self, field: str, expected: object, got: object, *, text: bool = False) -> None:
        if expected is None and got is None:
            self.fields.setdefault(field, {"tp": 0, "fp": 0, "fn": 0})
            return
        if expected is not None and got is not None and _same(expected, got, text=text):
            self.add(field, tp=1)
            return
        self.add(field, fp=1 if got is not None else 0, fn=1 if expected is not None else 0)


def _same(a: object, b: object, *, text: bool = False) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        if text:
            return similarity(a, b) >= TEXT_THRESHOLD
        return fold(a) == fold(b)
    if isinstance(a, list) and isinstance(b, list):
        return {fold(str(x)) for x in a} == {fold(str(x)) for x in b}
    return a == b


def _score_sets(counts: _Counts, field: str, expected: set, got: set) -> None:
    counts.add(field, tp=len(expected & got), fp=len(got - expected), fn=len(expected - got))


def _score_texts(counts: _Counts, field: str, expected: list[str], got: list[str]) -> None:
    left = list(got)
    tp = 0
    for exp in expected:
        best = max(left, key=lambda g: similarity(exp, g), default=None)
        if best is not None and similarity(exp, best) >= TEXT_THRESHOLD:
            tp += 1
            left.remove(best)
    counts.add(field, tp=tp, fp=len(got) - tp, fn=len(expected) - tp)


def _score_tasks(counts: _Counts, expected: list[dict], got: list[dict]) -> None:
    pairs: list[tuple[float, int, int]] = []
    for i, exp in enumerate(expected):
        for j, g in enumerate(got):
            if fold(str(exp.get("section"))) != fold(str(g.get("section"))):
                continue
            ratio = similarity(exp.get("text"), g.get("text"))
            if ratio >= TEXT_THRESHOLD:
                pairs.append((ratio, i, j))
    pairs.sort(reverse=True)
    used_e: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i in used_e or j in used_g:
            continue
        used_e.add(i)
        used_g.add(j)
        exp, g = expected[i], got[j]
        counts.add("tasks.text", tp=1)
        for key in TASK_FIELDS[1:]:
            e_val, g_val = exp.get(key), g.get(key)
            if key == "coordinating":
                e_val = e_val or None
                g_val = g_val or None
            if key == "ongoing":
                e_val = True if e_val else None
                g_val = True if g_val else None
            counts.scalar(f"tasks.{key}", e_val, g_val)
    for idx, task in enumerate(got):
        if idx not in used_g:
            for key in TASK_FIELDS:
                if task.get(key):
                    counts.add(f"tasks.{key}", fp=1)
    for idx, task in enumerate(expected):
        if idx not in used_e:
            for key in TASK_FIELDS:
                if task.get(key):
                    counts.add(f"tasks.{key}", fn=1)


def compare(expected: dict, got: dict, counts: _Counts | None = None) -> _Counts:
    """Add the counts of one document to `counts` (see the module docstring)."""
    counts = counts or _Counts()
    for key in SCALAR_FIELDS:
        counts.scalar(key, expected.get(key), got.get(key))
    counts.scalar("subject", expected.get("subject"), got.get("subject"), text=True)
    exp_signer = expected.get("signer") or {}
    got_signer = got.get("signer") or {}
    for key in SIGNER_FIELDS:
        counts.scalar(f"signer.{key}", exp_signer.get(key), got_signer.get(key))

    def ref_key(ref: dict) -> tuple:
        return (fold(ref.get("code") or ""), ref.get("date"), fold(ref.get("issuer") or ""))

    _score_sets(
        counts,
        "references",
        {ref_key(r) for r in expected.get("references", [])},
        {ref_key(r) for r in got.get("references", [])},
    )
    _score_sets(
        counts,
        "recipients",
        {fold(r) for r in expected.get("recipients", [])},
        {fold(r) for r in got.get("recipients", [])},
    )
    _score_texts(counts, "targets", expected.get("targets", []), got.get("targets", []))
    _score_tasks(counts, expected.get("tasks", []), got.get("tasks", []))
    return counts


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(dir_path: str | Path, *, texts_dir: str | Path | None = None) -> dict:
    """Parse every NAME.txt with a NAME.expected.json in `dir_path` and score it.

    `texts_dir` is where the NAME.txt files are when they live apart from the expectations
    (the seed documents stay in `sampledata/seed_documents/`); by default `dir_path`.

    Returns {"documents": [names], "fields": {field: {tp, fp, fn, precision, recall, f1}},
    "overall": {tp, fp, fn, precision, recall, f1}, "per_document": {name: overall}}.
    """
    folder = Path(dir_path)
    texts = Path(texts_dir) if texts_dir is not None else folder
    counts = _Counts()
    per_document: dict[str, dict] = {}
    names: list[str] = []
    for expected_path in sorted(folder.glob("*.expected.json")):
        name = expected_path.name[: -len(".expected.json")]
        text_path = texts / f"{name}.txt"
        if not text_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        got = parse_document(text_path.read_text(encoding="utf-8")).to_json()
        doc_counts = compare(expected, got)
        compare(expected, got, counts)
        tp = sum(r["tp"] for r in doc_counts.fields.values())
        fp = sum(r["fp"] for r in doc_counts.fields.values())
        fn = sum(r["fn"] for r in doc_counts.fields.values())
        p, r, f = _prf(tp, fp, fn)
        per_document[name] = {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}
        names.append(name)
    fields: dict[str, dict] = {}
    for field, row in sorted(counts.fields.items()):
        p, r, f = _prf(row["tp"], row["fp"], row["fn"])
        fields[field] = {**row, "precision": p, "recall": r, "f1": f}
    tp = sum(r["tp"] for r in counts.fields.values())
    fp = sum(r["fp"] for r in counts.fields.values())
    fn = sum(r["fn"] for r in counts.fields.values())
    p, r, f = _prf(tp, fp, fn)
    return {
        "documents": names,
        "fields": fields,
        "overall": {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f},
        "per_document": per_document,
    }


def format_report(report: dict) -> str:
    """A plain-text table; the last line is exactly "overall F1: 0.973"."""
    lines = [f"documents: {len(report['documents'])}"]
    lines.append(f"{'field':<22} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for field, row in report["fields"].items():
        lines.append(
            f"{field:<22} {row['tp']:>4} {row['fp']:>4} {row['fn']:>4} "
            f"{row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f}"
        )
    for name, row in report["per_document"].items():
        lines.append(f"document {name}: F1 {row['f1']:.3f}")
    overall = report["overall"]
    lines.append(f"overall precision: {overall['precision']:.3f}")
    lines.append(f"overall recall: {overall['recall']:.3f}")
    lines.append(f"overall F1: {overall['f1']:.3f}")
    return "\n".join(lines)
