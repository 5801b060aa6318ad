from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Access control")

    def ready(self) -> None:
        # Registers every permission with django-rules.
        from access import permissions  # noqa: F401
