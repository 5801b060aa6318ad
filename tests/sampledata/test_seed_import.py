"""seed_demo imports the seed documents from their text; the result is what the documents
say, as written down by hand in tests/directives/expected/ (the parser's expectations)."""

from __future__ import annotations

import calendar
import datetime
import json
from pathlib import Path

import pytest

from directives.models import AssignmentRole, Directive, Task
from sampledata.documents import (
    UNNAMED_LEAD,
    UnitResolver,
    build_central_directives,
    build_seed_directives_from_text,
    unnamed_leads_assign,
)
from sampledata.organisation import build_demo_organisation
from sampledata.seeds import CENTRAL_DOCUMENTS, SEEDS, seed_path
from units.models import Unit
from units.text import fold

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXPECTED = Path(__file__).resolve().parents[1] / "directives" / "expected"

# What the text cannot say: the demo unit that issued each seed, and the document its
# subject says it carries out (linked when the demo holds that document).
ISSUER_AND_IMPLEMENTS = {
    "000": ("Tỉnh ủy Hải Dương", "25-NQ/TW"),
    "001": ("Tỉnh ủy Phú Yên", None),
    "003": ("Tỉnh ủy Kiên Giang", "43-KL/TW"),
    "004": ("Thị ủy Đức Phổ", None),
}
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


def expected_document(seed: str) -> dict:
    path = EXPECTED / seed_path(seed).name.replace(".txt", ".expected.json")
    return json.loads(path.read_text(encoding="utf-8"))


def key(code: str | None, subject: str) -> str:
    return code or subject[:40]


def end_of_period(day: datetime.date, recurrence: str) -> datetime.date:
    """The end of the reporting period ``day`` falls in: a recurring duty's first report."""
    months = PERIOD_MONTHS[recurrence]
    month = ((day.month - 1) // months + 1) * months
    return datetime.date(day.year, month, calendar.monthrange(day.year, month)[1])


def snapshot() -> dict:
    """What a monitor checks: date, issuer, what it cites and implements, and each task's
    section, text, deadline and the units leading and coordinating it."""
    result = {}
    for directive in Directive.objects.exclude(issuer__level="central").order_by("issued_on"):
        tasks = []
        for task in directive.tasks.order_by("order", "pk"):
            units = {
                role: sorted(
                    task.assignments.filter(role=role).values_list("unit__name", flat=True)
                )
                for role in ("lead", "coordinating")
            }
            tasks.append(
                (
                    task.section,
                    fold(task.description)[:300],
                    # "đến năm 2025" is a period or a date: both end on the same day, which
                    # is what statuses and reminders use.
                    task.deadline_kind in ("ongoing", "recurring") and task.deadline_kind,
                    task.due_on,
                    task.recurrence,
                    units["lead"],
                    units["coordinating"],
                )
            )
        result[key(directive.code, directive.subject)] = {
            "issued_on": directive.issued_on,
            "issuer": directive.issuer.name,
            "kind": directive.kind,
            "implements": directive.implements.code if directive.implements else None,
            "references": sorted(
                (r.cited_code, r.cited_date, r.target_id is not None)
                for r in directive.references.all()
            ),
            "tasks": tasks,
        }
    return result


def expected_snapshot() -> dict:
    """The same from the expectations: each name the document gives resolved to demo units
    the way a reviewer does (UnitResolver); a task whose document names no lead has none.
    A citation is linked when the demo holds a document with that code (and that date,
    when the citation gives one)."""
    documents = {seed.seed: expected_document(seed.seed) for seed in SEEDS}
    held = [(d["code"], d["issued_on"]) for d in CENTRAL_DOCUMENTS] + [
        (d["code"], datetime.date.fromisoformat(d["issued_on"])) for d in documents.values()
    ]
    result = {}
    for seed, doc in documents.items():
        issuer, implements = ISSUER_AND_IMPLEMENTS[seed]
        issued_on = datetime.date.fromisoformat(doc["issued_on"])
        resolver = UnitResolver(Unit.objects.get(name=issuer))
        tasks = []
        for task in doc["tasks"]:
            lead = resolver.resolve(task["lead"]) if task["lead"] else []
            coordinating = [u for n in task["coordinating"] for u in resolver.resolve(n)]
            if task["recurrence"]:
                deadline = ("recurring", end_of_period(issued_on, task["recurrence"]))
            elif task["ongoing"] or not task["deadline"]:
                deadline = ("ongoing", None)
            else:
                deadline = (False, datetime.date.fromisoformat(task["deadline"]))
            tasks.append(
                (
                    task["section"] or "",
                    fold(task["text"])[:300],
                    *deadline,
                    task["recurrence"] or "",
                    sorted(u.name for u in lead),
                    sorted({u.name for u in coordinating if u not in lead}),
                )
            )
        references = []
        for ref in doc["references"]:
            date = datetime.date.fromisoformat(ref["date"]) if ref["date"] else None
            linked = any(code == ref["code"] and date in (None, on) for code, on in held)
            references.append((ref["code"], date, linked))
        result[key(doc["code"], doc["subject"])] = {
            "issued_on": issued_on,
            "issuer": issuer,
            "kind": doc["kind"],
            "implements": implements,
            "references": sorted(references),
            "tasks": tasks,
        }
    return result


def test_import_from_text_gives_what_the_documents_say():
    build_demo_organisation()
    build_central_directives()
    build_seed_directives_from_text()
    got, expected = snapshot(), expected_snapshot()

    assert set(got) == set(expected) and len(expected) == 4
    for code, want in expected.items():
        for field in ("issued_on", "issuer", "kind", "implements", "references"):
            assert got[code][field] == want[field], (code, field)
        assert len(got[code]["tasks"]) == len(want["tasks"]), code
        for got_task, expected_task in zip(got[code]["tasks"], want["tasks"], strict=True):
            assert got_task == expected_task, code
    assert got["872-CV/TU"]["implements"] == "43-KL/TW"
    assert sum(len(task[5]) for d in got.values() for task in d["tasks"]) > 50
    # Seed 001 names no lead for most of its tasks, and the import invents none.
    assert sum(not task[5] for task in got["06-NQ/TW"]["tasks"]) > 20


def test_demo_gives_the_tasks_that_name_no_lead_to_the_state_bodies_and_no_other():
    build_demo_organisation()
    build_central_directives()
    seeds = build_seed_directives_from_text()
    before = snapshot()
    without_lead = [
        (code, index)
        for code, doc in before.items()
        for index, task in enumerate(doc["tasks"])
        if not task[5]
    ]

    given = unnamed_leads_assign(seeds)

    after = snapshot()
    assert given == len(without_lead) > 20
    state_bodies = sorted(
        u.name for u in UnitResolver(Unit.objects.get(name="Tỉnh ủy Phú Yên")).resolve(UNNAMED_LEAD)
    )
    assert state_bodies == ["Ủy ban nhân dân tỉnh Phú Yên"]
    for code, doc in after.items():
        for index, task in enumerate(doc["tasks"]):
            if (code, index) in without_lead:
                assert task[5] == state_bodies, (code, index)
            else:
                assert task == before[code]["tasks"][index], (code, index)
    assert not (
        Task.objects.filter(directive__in=seeds)
        .exclude(assignments__role=AssignmentRole.LEAD)
        .exists()
    )
