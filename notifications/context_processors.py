"""The unread count shown in the header of every page."""

from __future__ import annotations

from django.http import HttpRequest

from notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict:
    """``unread_notifications_count``: a callable the template calls when it shows the
    badge, so a page costs one COUNT on a partial index at most, and anonymous pages and
    pages that do not show it cost nothing."""
    memo: list[int] = []

    def count() -> int:
        if not memo:
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
            memo.append(unread_count(user=user) if authenticated else 0)
        return memo[0]

    return {"unread_notifications_count": count}
