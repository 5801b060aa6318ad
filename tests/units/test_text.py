"""Text is stored NFC and searched without diacritics."""

from __future__ import annotations

import unicodedata

import pytest

from tests.factories import UnitFactory
from units.models import Unit
from units.text import fold

pytestmark = pytest.mark.django_db


def test_nfd_input_is_stored_nfc():
    decomposed = unicodedata.normalize("NFD", "Ban Dân vận Tỉnh ủy")
    unit = UnitFactory(name=decomposed, aliases=[unicodedata.normalize("NFD", "Ban Dân vận")])
    unit.refresh_from_db()
    assert unit.name == unicodedata.normalize("NFC", "Ban Dân vận Tỉnh ủy")
    assert unicodedata.is_normalized("NFC", unit.aliases[0])


@pytest.mark.parametrize(
    "query",
    ["dan van", "DÂN VẬN", unicodedata.normalize("NFD", "dân vận"), "  Dan   Van "],
)
def test_search_ignores_case_diacritics_and_normal_form(query):
    unit = UnitFactory(name="Ban Dân vận Tỉnh ủy")
    UnitFactory(name="Ban Tổ chức Tỉnh ủy")
    assert list(Unit.objects.search(query)) == [unit]


def test_d_with_stroke_folds_to_d():
    assert fold("Đoàn Thanh niên") == "doan thanh nien"
    unit = UnitFactory(name="Đoàn Thanh niên", abbreviation="ĐTN")
    assert list(Unit.objects.search("doan")) == [unit]
    assert list(Unit.objects.search("dtn")) == [unit]
