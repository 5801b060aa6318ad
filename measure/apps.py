from __future__ import annotations

from django.apps import AppConfig


class MeasureConfig(AppConfig):
    name = "measure"
