"""The parser on the development corpus of real documents (`../shared/corpus` beside the
repository): a per-field floor recorded in `parser_floor.json` that the scores may not fall
below (raise the floor when the parser gets better, never lower it)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from directives.importing.evaluate import (
    CORPUS_FIELDS,
    compare_corpus,
    corpus_view,
    evaluate_corpus,
    is_corpus_folder,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
FLOOR = Path(__file__).resolve().parent / "parser_floor.json"


def _corpus() -> Path:
    if not (CORPUS / "README.md").exists() or not list(CORPUS.glob("*.expected.json")):
        pytest.fail(
            f"The development corpus is missing: expected {CORPUS} (../shared/corpus beside "
            "the repository) with NAME.txt and NAME.expected.json files."
        )
    return CORPUS


@pytest.fixture(scope="module")
def report() -> dict:
    return evaluate_corpus(_corpus())


def test_floor_file_names_every_field_and_the_mean() -> None:
    floor = json.loads(FLOOR.read_text(encoding="utf-8"))
    assert set(floor["fields"]) == set(CORPUS_FIELDS)
    assert 0 < floor["mean"] <= 1


def test_corpus_scores_stay_at_or_above_the_recorded_floor(report: dict) -> None:
    floor = json.loads(FLOOR.read_text(encoding="utf-8"))
    assert len(report["documents"]) >= 15
    below = {
        field: (round(report["fields"][field]["f1"], 3), minimum)
        for field, minimum in floor["fields"].items()
        if report["fields"][field]["f1"] < minimum
    }
    assert not below, f"fields below their floor (score, floor): {below}"
    assert report["mean"] >= floor["mean"]


def test_evaluate_parser_prints_the_corpus_fields_and_the_mean() -> None:
    out = io.StringIO()
    call_command("evaluate_parser", str(_corpus()), stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("documents: ")
    for field in ("kind", "number", "date", "issuer", "references", "tasks.lead"):
        assert any(line.split()[0] == field for line in lines[2:-1]), field
    assert lines[-1].startswith("mean F1: ")


def test_corpus_scoring_counts_a_wrong_value_and_a_missed_reference(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "TỈNH ỦY HÀ NAM\n*\nSố 12-KH/TU\nHà Nam, ngày 02 tháng 3 năm 2024\nKẾ HOẠCH\n"
        "về công tác dân vận năm 2024\nThực hiện Nghị quyết số 25-NQ/TW, ngày 03/6/2013 "
        "của Ban Chấp hành Trung ương, Ban Thường vụ Tỉnh ủy ban hành kế hoạch.\n",
        encoding="utf-8",
    )
    expected = {
        "doc_type": "Kế hoạch",
        "number": "12-KH/TU",
        "issued_on": "2024-03-02",
        "issuer": "Tỉnh ủy Hà Nam",
        "subject": "công tác dân vận năm 2024",
        "references": [
            {"number": "25-NQ/TW", "date": "2013-06-03"},
            {"number": "11-CT/TW", "date": None},
        ],
        "tasks": [],
        "targets": [],
    }
    (tmp_path / "a.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    assert is_corpus_folder(tmp_path)
    report = evaluate_corpus(tmp_path)
    fields = report["fields"]
    for field in ("kind", "number", "date", "issuer", "subject"):
        assert fields[field]["f1"] == 1.0, field
    assert (fields["references"]["tp"], fields["references"]["fn"]) == (1, 1)

    wrong = dict(expected, issuer="Tỉnh ủy Hà Tĩnh")
    got = corpus_view({"issuer": "Tỉnh ủy Hà Nam", "references": [], "tasks": [], "targets": []})
    counts = compare_corpus(wrong, got).fields
    assert counts["issuer"] == {"tp": 0, "fp": 1, "fn": 1}


def test_seed_folder_is_not_taken_for_a_corpus(tmp_path: Path) -> None:
    expected = ROOT / "tests" / "directives" / "expected"
    name = sorted(expected.glob("*.expected.json"))[0]
    shutil.copy(name, tmp_path / name.name)
    assert not is_corpus_folder(tmp_path)
