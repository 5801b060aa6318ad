"""QuickSelect renders what Django's Select renders, only faster."""

from __future__ import annotations

import re

from django import forms

from config.widgets import QuickSelect

CHOICES = [("", "Tất cả"), (1, "Tỉnh ủy <Hải Dương>"), (2, "Ban Dân vận & MTTQ"), (3, "Xã A")]


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_quick_select_renders_as_django_select_does():
    for value in (None, "", "2", 2, ["3"]):
        attrs = {"id": "id_unit", "class": "form-select"}
        django = forms.Select(choices=CHOICES).render("unit", value, attrs)
        quick = QuickSelect(choices=CHOICES).render("unit", value, attrs)
        assert squeeze(quick) == squeeze(django), value


def test_quick_select_escapes_labels():
    html = QuickSelect(choices=CHOICES).render("unit", "1")
    assert "Tỉnh ủy &lt;Hải Dương&gt;" in html and "Ban Dân vận &amp; MTTQ" in html
    assert '<option value="1" selected>' in html
