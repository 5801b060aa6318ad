from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Integration API")

    def ready(self) -> None:
        from api import schema  # noqa: F401  (registers the API key with drf-spectacular)
