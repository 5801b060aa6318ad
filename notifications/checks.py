"""Deployment checks (``manage.py check --deploy``) of the e-mail side."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


@checks.register(checks.Tags.urls, deploy=True)
def site_url_is_public(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every link in an e-mail starts with SITE_URL: unset (localhost by default) it points
    recipients at their own machine."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return [
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in e-mails point at this machine "
                "and reach nobody.",
                hint="Set SITE_URL to the address users open, e.g. https://vanban.example.vn.",
                id="notifications.W001",
            )
        ]
    return []
