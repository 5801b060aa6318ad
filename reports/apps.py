from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Imported here, not at the top: Django loads the models only after every app's
        # config, and these modules use them.
        from notifications.api import register_digest_source
        from reports.selectors import reports_owed

        # The reports a unit still owes join its morning digest.
        register_digest_source("report_request", reports_owed)
