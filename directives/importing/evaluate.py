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
import re
from difflib import SequenceMatcher
from pathlib import Path

from .cleaning import fold
from .parser import parse_document
from .references import KINDS

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


# ------------------------------------------------------------------ corpus format
#
# The development corpus (`../shared/corpus`, see its README) writes what a careful reader
# gets in another shape: `doc_type`, `number` (the full số/ký hiệu), `issued_on`, `issuer`,
# `subject`, `references` ({number, date} or {number: null, date, title}), `tasks` ({lead,
# coordinating, deadline as a literal phrase, excerpt: the first 80 characters}) and
# `targets` ({text, value, unit}). `evaluate_corpus` scores the parser in that shape with
# the same counting (a wrong value is one FP and one FN, null against null counts nothing)
# and reports the F1 of each field and their mean.

CORPUS_FIELDS = [
    "kind",
    "number",
    "date",
    "issuer",
    "subject",
    "references",
    "tasks",
    "tasks.lead",
    "tasks.coordinating",
    "tasks.deadline",
    "targets",
]


_KIND_WORDS: dict[str, str] = {}
for _abbr, _word in KINDS:
    _KIND_WORDS.setdefault(_abbr, _word)


def is_corpus_folder(dir_path: str | Path) -> bool:
    """True when the folder's expectations are in the corpus shape (they have `doc_type`)."""
    for path in sorted(Path(dir_path).glob("*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        return isinstance(data, dict) and "doc_type" in data
    return False


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def corpus_view(got: dict) -> dict:
    """A `ParseResult.to_json()` in the corpus shape."""
    references = [{"number": r["code"], "date": r["date"]} for r in got.get("references", [])]
    references += [
        {"number": None, "date": r.get("date"), "title": r["title"]}
        for r in got.get("cited_titles", [])
    ]
    doc_type = got.get("doc_type") or _KIND_WORDS.get(got.get("kind") or "")
    subject = re.sub(r"^(?:về|VỀ)\s+", "", _collapse(got.get("subject"))) or None
    return {
        "doc_type": doc_type,
        "number": got.get("code"),
        "issued_on": got.get("issued_on"),
        "issuer": got.get("issuer"),
        "subject": subject,
        "references": references,
        "tasks": [
            {
                "lead": t.get("lead_text") or t.get("lead"),
                "coordinating": t.get("coordinating_text", t.get("coordinating")) or [],
                "deadline": t.get("deadline_label"),
                "excerpt": _collapse(t.get("text"))[:80],
            }
            for t in got.get("tasks", [])
        ],
        "targets": [{"text": t} for t in got.get("targets", [])],
    }


def _pairs(expected: list, got: list, same) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing of expected and proposed items by `same(e, g) -> ratio`."""
    scored = []
    for i, exp in enumerate(expected):
        for j, g in enumerate(got):
            ratio = same(exp, g)
            if ratio:
                scored.append((ratio, -i, -j))
    scored.sort(reverse=True)
    used_e: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in scored:
        if -i in used_e or -j in used_g:
            continue
        used_e.add(-i)
        used_g.add(-j)
        out.append((-i, -j))
    return out


def _same_reference(exp: dict, got: dict) -> float:
    if exp.get("date") != got.get("date"):
        return 0.0
    if exp.get("number"):
        return 1.0 if fold(exp["number"]) == fold(got.get("number") or "") else 0.0
    if got.get("number"):
        return 0.0
    ratio = similarity(exp.get("title"), got.get("title"))
    return ratio if ratio >= TEXT_THRESHOLD else 0.0


def _same_text(key: str):
    def same(exp: dict, got: dict) -> float:
        ratio = similarity(_collapse(exp.get(key)), _collapse(got.get(key)))
        return ratio if ratio >= TEXT_THRESHOLD else 0.0

    return same


def _score_matched(counts: _Counts, field: str, expected: list, got: list, same) -> list:
    pairs = _pairs(expected, got, same)
    counts.add(field, tp=len(pairs), fp=len(got) - len(pairs), fn=len(expected) - len(pairs))
    return pairs


def compare_corpus(expected: dict, got: dict, counts: _Counts | None = None) -> _Counts:
    """Add the counts of one corpus document (`got` already in the corpus shape)."""
    counts = counts or _Counts()
    counts.scalar("kind", expected.get("doc_type"), got.get("doc_type"))
    counts.scalar("number", _collapse(expected.get("number")) or None, got.get("number"))
    counts.scalar("date", expected.get("issued_on"), got.get("issued_on"))
    counts.scalar("issuer", expected.get("issuer"), got.get("issuer"))
    counts.scalar(
        "subject", _collapse(expected.get("subject")) or None, got.get("subject"), text=True
    )
    _score_matched(
        counts,
        "references",
        expected.get("references", []),
        got.get("references", []),
        _same_reference,
    )
    _score_matched(
        counts, "targets", expected.get("targets", []), got.get("targets", []), _same_text("text")
    )
    exp_tasks, got_tasks = expected.get("tasks", []), got.get("tasks", [])
    pairs = _score_matched(counts, "tasks", exp_tasks, got_tasks, _same_text("excerpt"))
    paired_e = {i for i, _ in pairs}
    paired_g = {j for _, j in pairs}
    for i, j in pairs:
        exp, g = exp_tasks[i], got_tasks[j]
        counts.scalar("tasks.lead", _collapse(exp.get("lead")) or None, g.get("lead"))
        exp_coord = [_collapse(c) for c in exp.get("coordinating") or []] or None
        counts.scalar("tasks.coordinating", exp_coord, g.get("coordinating") or None)
        counts.scalar("tasks.deadline", exp.get("deadline"), g.get("deadline"))
    for key, field in (
        ("lead", "tasks.lead"),
        ("coordinating", "tasks.coordinating"),
        ("deadline", "tasks.deadline"),
    ):
        counts.add(
            field, fp=sum(1 for j, g in enumerate(got_tasks) if j not in paired_g and g.get(key))
        )
        counts.add(
            field, fn=sum(1 for i, e in enumerate(exp_tasks) if i not in paired_e and e.get(key))
        )
    return counts


def evaluate_corpus(dir_path: str | Path) -> dict:
    """Score the parser on a corpus folder (NAME.txt + NAME.expected.json, corpus shape).

    Returns {"documents": [names], "fields": {field: {tp, fp, fn, precision, recall, f1}},
    "mean": mean F1 of the fields in `CORPUS_FIELDS` that have counts,
    "per_document": {name: {field: f1}}}.
    """
    folder = Path(dir_path)
    counts = _Counts()
    for field in CORPUS_FIELDS:
        counts.fields.setdefault(field, {"tp": 0, "fp": 0, "fn": 0})
    names: list[str] = []
    per_document: dict[str, dict] = {}
    for expected_path in sorted(folder.glob("*.expected.json")):
        name = expected_path.name[: -len(".expected.json")]
        text_path = folder / f"{name}.txt"
        if not text_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        got = corpus_view(parse_document(text_path.read_text(encoding="utf-8")).to_json())
        doc = compare_corpus(expected, got)
        compare_corpus(expected, got, counts)
        per_document[name] = {
            f: _prf(r["tp"], r["fp"], r["fn"])[2]
            for f, r in doc.fields.items()
            if r["tp"] + r["fp"] + r["fn"]
        }
        names.append(name)
    fields: dict[str, dict] = {}
    for field in CORPUS_FIELDS:
        row = counts.fields[field]
        p, r, f = _prf(row["tp"], row["fp"], row["fn"])
        fields[field] = {**row, "precision": p, "recall": r, "f1": f}
    scored = [row["f1"] for row in fields.values() if row["tp"] + row["fp"] + row["fn"]]
    mean = sum(scored) / len(scored) if scored else 0.0
    return {"documents": names, "fields": fields, "mean": mean, "per_document": per_document}


def format_corpus_report(report: dict, *, per_document: bool = False) -> str:
    """A plain-text table of the corpus scores; the last line is exactly "mean F1: 0.912"."""
    lines = [f"documents: {len(report['documents'])}"]
    lines.append(f"{'field':<20} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for field, row in report["fields"].items():
        lines.append(
            f"{field:<20} {row['tp']:>4} {row['fp']:>4} {row['fn']:>4} "
            f"{row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f}"
        )
    if per_document:
        for name, row in report["per_document"].items():
            wrong = ", ".join(f"{f} {v:.2f}" for f, v in row.items() if v < 1)
            lines.append(f"document {name}: {wrong or 'all right'}")
    lines.append(f"mean F1: {report['mean']:.3f}")
    return "\n".join(lines)
