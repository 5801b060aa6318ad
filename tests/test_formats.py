"""Dates are entered and shown day first; numbers use Vietnamese separators."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation


class DayForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["05/04/2025", "05-04-2025", "5/4/2025", "05.04.2025"])
def test_day_first_input_means_fifth_of_april(language, typed):
    with translation.override(language):
        form = DayForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2025, 4, 5)


def test_month_thirteen_is_rejected_with_a_vietnamese_message():
    with translation.override("vi"):
        form = DayForm({"day": "05/13/2025"})
        assert not form.is_valid()
        assert "ngày hợp lệ" in form.errors["day"][0]


def test_dates_are_shown_day_first_and_numbers_with_dots():
    template = Template('{% load humanize %}{{ day|date:"SHORT_DATE_FORMAT" }} {{ n|intcomma }}')
    with translation.override("vi"):
        out = template.render(Context({"day": datetime.date(2025, 4, 5), "n": 1234567}))
    assert out == "05/04/2025 1.234.567"
