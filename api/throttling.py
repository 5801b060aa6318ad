"""Per-key throttling: each API key has its own budget (settings.API_KEY_RATE)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self) -> str:
        return settings.API_KEY_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None  # the browser's session is not throttled
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
