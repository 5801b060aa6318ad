"""Citations link when the cited document exists or arrives later; merges move open work."""

from __future__ import annotations

import datetime

import pytest

from directives.models import Directive, DirectiveReference
from directives.services import CitedDocument, directive_save, directive_set_references
from tests.factories import AssignmentFactory, DirectiveFactory, UnitFactory
from units.services import unit_merge

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_citation_links_to_a_known_document_and_keeps_the_text_otherwise():
    central = DirectiveFactory(code="25-NQ/TW", issued_on=D(2013, 6, 3))
    local = DirectiveFactory(code="56-KL/TU")
    directive_set_references(
        directive=local,
        cited=[
            CitedDocument(code="25-NQ/TW", date=D(2013, 6, 3)),
            CitedDocument(code="08-QC/TU", date=D(2018, 1, 3), issuer="Ban Thường vụ Tỉnh ủy"),
        ],
    )
    refs = {r.cited_code: r for r in local.references.all()}
    assert refs["25-NQ/TW"].target == central
    assert refs["08-QC/TU"].target is None
    assert refs["08-QC/TU"].cited_issuer == "Ban Thường vụ Tỉnh ủy"


def test_a_citation_links_automatically_when_the_cited_document_arrives_later():
    local = DirectiveFactory(code="872-CV/TU")
    directive_set_references(
        directive=local, cited=[CitedDocument(code="43-KL/TW", date=D(2019, 1, 7))]
    )
    assert DirectiveReference.objects.get().target is None
    arrived = directive_save(
        directive=Directive(
            kind="KL",
            code="43-KL/TW",
            number="43",
            issuer=UnitFactory(),
            issued_on=D(2019, 1, 7),
            subject="về tiếp tục thực hiện Nghị quyết 25",
        )
    )
    assert DirectiveReference.objects.get().target == arrived


def test_a_document_with_the_same_number_but_another_date_is_not_linked():
    local = DirectiveFactory(code="56-KL/TU")
    directive_set_references(
        directive=local, cited=[CitedDocument(code="12-CT/TU", date=D(2020, 1, 1))]
    )
    DirectiveFactory(code="12-CT/TU", issued_on=D(2021, 5, 5))
    other = DirectiveFactory(code="12-CT/TU", issued_on=D(2020, 1, 1))
    directive_set_references(
        directive=local, cited=[CitedDocument(code="12-CT/TU", date=D(2020, 1, 1))]
    )
    assert DirectiveReference.objects.get().target == other


def test_merging_a_unit_moves_its_open_assignments_and_keeps_finished_ones():
    committee = UnitFactory(name="Tỉnh ủy")
    old = UnitFactory(name="Ban Dân vận Tỉnh ủy", parent=committee)
    new = UnitFactory(name="Ban Tuyên giáo và Dân vận Tỉnh ủy", parent=committee)
    open_one = AssignmentFactory(unit=old)
    finished = AssignmentFactory(unit=old, completed_on=D(2024, 5, 1))
    held_by_both = AssignmentFactory(unit=old)
    AssignmentFactory(unit=new, task=held_by_both.task)

    unit_merge(sources=[old], into=new, effective_on=D(2025, 3, 1))

    for a in (open_one, finished, held_by_both):
        a.refresh_from_db()
    assert open_one.unit == new
    assert finished.unit == old
    assert held_by_both.unit == old and held_by_both.cancelled
