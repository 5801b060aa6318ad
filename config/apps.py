from __future__ import annotations

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project package as an app, for the signal receivers of config/security.py."""

    name = "config"
    verbose_name = "Configuration"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from config.security import note_login

        user_logged_in.connect(note_login, dispatch_uid="config.security.note_login")
