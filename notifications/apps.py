from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications import (
            checks,  # noqa: F401 - registers the deployment checks
            events,
            webhook_events,
        )

        events.connect()
        webhook_events.connect()
