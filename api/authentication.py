"""``Authorization: Api-Key bdv_…``: the request acts as the key's owner."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from api.models import ApiKey, api_key_lookup

KEYWORD = "Api-Key"
# last_used_at is written at most this often per key.
TOUCH_EVERY = datetime.timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The API key header is malformed."))
        key = api_key_lookup(header[1])
        if key is None:
            raise exceptions.AuthenticationFailed(_("The API key is not valid."))
        if key.revoked:
            raise exceptions.AuthenticationFailed(_("The API key has been revoked."))
        if not key.is_usable:
            raise exceptions.AuthenticationFailed(_("The API key has expired."))
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > TOUCH_EVERY:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
        return key.user, key

    def authenticate_header(self, request) -> str:
        return KEYWORD
