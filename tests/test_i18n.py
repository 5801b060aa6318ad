"""Every user-facing string has a Vietnamese translation, and the catalogues are compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    assert len(po) > 50
    if language == "vi":
        assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:10]
        assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:10]
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid


def test_pages_speak_vietnamese_by_default(client):
    content = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in content and "Mật khẩu" in content


def test_pages_switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    content = client.get("/accounts/login/").content.decode()
    assert "Log in" in content and "Password" in content
