from __future__ import annotations

from django.apps import AppConfig


class SampledataConfig(AppConfig):
    name = "sampledata"
