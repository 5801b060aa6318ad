from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who may do what (access/permissions.py); no models of its own."""

    name = "access"

    def ready(self) -> None:
        # Registers every permission with django-rules.
        from access import permissions  # noqa: F401
