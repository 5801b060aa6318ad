"""Widgets shared by the apps."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A drop-down rendered in Python rather than through a template per option: the same
    HTML as Django's Select, without the per-option template cost that dominated the
    national dashboard (thousands of directives to pick from)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if key in selected else "", label)
                for key, label in ((str(v), label) for v, label in self.choices)
            ),
        )
        # In the order Django's attrs.html writes them (flatatt would sort them).
        final = self.build_attrs(self.attrs, attrs)
        rendered = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
                for key, value in final.items()
                if value is not None and value is not False
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, rendered, options)
