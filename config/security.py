"""Security plumbing that the settings name: the client address seen through a proxy, the
idle session limit, ``Cache-Control: no-store`` on private pages, and the rule that a new
password differs from the current one."""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "_last_seen"
# The session is written at most once a minute just to note activity.
TOUCH_EVERY_SECONDS = 60


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [::1]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 1.2.3.4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for login throttling and the log of failed logins.

    With CLIENT_IP_HEADER set, the header the reverse proxy writes; of a list such as
    X-Forwarded-For the right-most entry, the one our proxy appended (entries further left
    come from the client and can be forged). Otherwise the TCP peer."""
    header = settings.CLIENT_IP_HEADER
    if header:
        key = "HTTP_" + header.upper().replace("-", "_").removeprefix("HTTP_")
        raw = request.META.get(key, "")
        if raw:
            found = _valid_ip(raw.split(",")[-1])
            if found:
                return found
    return _valid_ip(request.META.get("REMOTE_ADDR", "")) or None


def note_login(sender, request, user, **kwargs) -> None:
    """Start the idle clock at login, so the first page after it needs no session write."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Log out a user whose last request is older than SESSION_IDLE_MINUTES.

    SESSION_COOKIE_AGE makes the stored session expire too; this check is exact and does not
    depend on the session being written on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were logged out after %(minutes)d minutes without activity. "
                        "Please log in again."
                    )
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
            elif not isinstance(last, int) or now - last >= TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and downloads of a logged-in user are never kept by a browser or proxy cache:
    after logging out on a shared office computer, Back shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class NotCurrentPasswordValidator:
    """A new password must differ from the one it replaces."""

    def validate(self, password: str, user=None) -> None:
        current = getattr(user, "password", "") or ""
        if user is not None and user.pk and current and check_password(password, current):
            raise ValidationError(
                _("The new password must be different from the current one."),
                code="password_unchanged",
            )

    def get_help_text(self) -> str:
        return _("Your new password must be different from the current one.")
