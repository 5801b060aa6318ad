from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "directives"
    verbose_name = _("Directives")

    def ready(self) -> None:
        from directives import services  # noqa: F401 - connects the unit-merge receiver
