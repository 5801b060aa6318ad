from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import (
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WorkingDayOverride,
)
from notifications.services import notifications_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "channel",
        "kind",
        "subject",
        "status",
        "attempts",
        "sent_at",
        "read_at",
    ]
    list_filter = ["status", "channel", "kind", "created_at"]
    search_fields = ["subject", "dedup_key", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [
        "recipient",
        "channel",
        "kind",
        "dedup_key",
        "about_type",
        "about_id",
        "subject",
        "body_text",
        "body_html",
        "link",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "read_at",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        # Messages are written by the system only, with their de-duplication key.
        return False

    @admin.action(description=_("Send again (failed or stuck e-mails)"))
    def resend(self, request, queryset) -> None:
        count = notifications_resend(notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest_enabled", "in_app_only"]
    list_filter = ["digest_enabled", "in_app_only"]
    search_fields = ["user__username", "user__email", "user__last_name", "user__first_name"]
    autocomplete_fields = ["user"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["note"]
    date_hierarchy = "day"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries are written by the events and the worker; the webhooks page
    (/integration/webhooks/) registers endpoints and sends failed deliveries again."""

    list_display = [
        "created_at",
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event"]
    search_fields = ["event_key", "endpoint__name", "endpoint__url"]
    list_select_related = ["endpoint"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
