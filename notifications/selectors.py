"""Reads of notifications: a user only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Channel, Notification, NotificationPreference


def inbox_for_user(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app messages, newest first."""
    rows = Notification.objects.filter(recipient=user, channel=Channel.INAPP).only(
        "pk", "kind", "subject", "body_text", "link", "created_at", "read_at", "recipient_id"
    )
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Channel.INAPP, read_at__isnull=True
    ).count()


def preference_for(*, user) -> NotificationPreference:
    """The user's preferences, or unsaved defaults when they never changed them."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)
