"""Vietnamese names for third-party apps whose labels are plain English strings.

django-pghistory names its models and fields with literal strings, which no catalogue
can translate; the subclasses below give them translatable names when the apps load.
django-celery-beat marks its strings for translation but ships no Vietnamese: those are in
``locale/thirdparty``.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_celery_beat.apps import BeatConfig
from pghistory.admin.apps import PGHistoryAdminConfig
from pghistory.apps import PGHistoryConfig

EVENT_FIELD_LABELS = {
    "pgh_slug": _("event key"),
    "pgh_model": _("event model"),
    "pgh_id": _("event number"),
    "pgh_created_at": _("changed at"),
    "pgh_label": _("change"),
    "pgh_data": _("data"),
    "pgh_diff": _("what changed"),
    "pgh_context_id": _("change context"),
    "pgh_context": _("context"),
    "pgh_obj_model": _("kind of record"),
    "pgh_obj_id": _("record number"),
    "user": _("by user"),
    "url": _("address"),
}
FILTER_TITLES = {
    "LabelFilter": _("change"),
    "EventModelFilter": _("event model"),
    "ObjFilter": _("record"),
    "ModelFilter": _("kind of record"),
    "MethodFilter": _("method"),
}


class HistoryConfig(PGHistoryConfig):
    verbose_name = _("Change history")

    def ready(self) -> None:
        super().ready()
        from pghistory.models import Context, Events, MiddlewareEvents

        for model, singular, plural in (
            (Events, _("change"), _("changes")),
            (MiddlewareEvents, _("change by request"), _("changes by request")),
            (Context, _("change context"), _("change contexts")),
        ):
            model._meta.verbose_name = singular
            model._meta.verbose_name_plural = plural
            for field in model._meta.get_fields():
                if field.name in EVENT_FIELD_LABELS:
                    field.verbose_name = EVENT_FIELD_LABELS[field.name]


class HistoryAdminConfig(PGHistoryAdminConfig):
    verbose_name = _("Change history")

    def ready(self) -> None:
        from pghistory.admin import core

        for name, title in FILTER_TITLES.items():
            if hasattr(core, name):
                getattr(core, name).title = title
        super().ready()


class PeriodicTasksConfig(BeatConfig):
    def ready(self) -> None:
        super().ready()
        from django_celery_beat.models import CrontabSchedule, PeriodicTask

        PeriodicTask._meta.get_field("task").verbose_name = _("task name")
        for model, name, label in (
            (PeriodicTask, "scheduler", _("schedule")),
            (CrontabSchedule, "human_readable", _("in words")),
        ):
            attribute = getattr(model, name, None)
            if isinstance(attribute, property):
                attribute.fget.short_description = label


class ConfigConfig(AppConfig):
    """The project package as an app, for the signal receivers of config/security.py."""

    name = "config"
    verbose_name = "Configuration"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from config.security import note_login

        user_logged_in.connect(note_login, dispatch_uid="config.security.note_login")
