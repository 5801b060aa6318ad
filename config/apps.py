"""Vietnamese names for third-party apps whose labels are plain English strings.

django-pghistory names its models and fields with literal strings, which no catalogue
can translate; the subclasses below give them translatable names when the apps load.
django-celery-beat and django-axes mark their strings for translation but ship no
Vietnamese: those are in ``locale/thirdparty``.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig, apps
from django.utils.text import format_lazy
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
# pghistory writes these help texts as plain English strings.
EVENT_HELP_TEXTS = {
    "pgh_slug": _("The unique identifier across all event tables."),
    "pgh_model": _("The kind of event: which history table it is in."),
    "pgh_id": _("The number of the event in its history table."),
    "pgh_created_at": _("When the change was made."),
    "pgh_label": _("What happened to the record: insert, update or delete."),
    "pgh_data": _("The record as it was after the change."),
    "pgh_diff": _("What changed since the previous event of the same kind."),
    "pgh_context_id": _("The identifier of the change context."),
    "pgh_context": _("Who made the change and from which address."),
    "pgh_obj_model": _("The kind of record that changed."),
    "pgh_obj_id": _("The number of the record that changed."),
}
# The columns pghistory adds to every event model it generates for a tracked model of
# ours (units.UnitEvent, directives.TaskEvent, ...); the tracked columns keep their labels.
OWN_EVENT_FIELD_LABELS = {
    "pgh_id": _("event number"),
    "pgh_created_at": _("changed at"),
    "pgh_label": _("change"),
    "pgh_obj": _("record"),
    "pgh_context": _("change context"),
    "pgh_context_id": _("change context"),
    "id": _("record number"),
}
FILTER_TITLES = {
    "LabelFilter": _("change"),
    "EventModelFilter": _("event model"),
    "ObjFilter": _("record"),
    "ModelFilter": _("kind of record"),
    "MethodFilter": _("method"),
}


def label_event_model(model: type) -> None:
    """Name an event model after the model it tracks ("change of task") and label the
    columns pghistory adds. The column labels reach the event models' migrations; the
    names do not, as migrations read Meta options from the class as written."""
    tracked = model.pgh_tracked_model._meta
    model._meta.verbose_name = format_lazy(_("change of {}"), tracked.verbose_name)
    model._meta.verbose_name_plural = format_lazy(_("changes of {}"), tracked.verbose_name)
    for field in model._meta.local_fields:
        if field.name in OWN_EVENT_FIELD_LABELS:
            field.verbose_name = OWN_EVENT_FIELD_LABELS[field.name]
        if field.name == "pgh_label":
            field.help_text = EVENT_HELP_TEXTS["pgh_label"]


class HistoryConfig(PGHistoryConfig):
    verbose_name = _("Change history")

    def ready(self) -> None:
        super().ready()
        from pghistory.models import Context, Event, Events, MiddlewareEvents

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
                if getattr(field, "help_text", "") and field.name in EVENT_HELP_TEXTS:
                    field.help_text = EVENT_HELP_TEXTS[field.name]
        for model in apps.get_models():
            if issubclass(model, Event) and model._meta.app_label != self.label:
                label_event_model(model)


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


class LoginThrottleConfig(AxesConfig):
    """django-axes, named in Vietnamese; its models and admin strings are translated in
    ``locale/thirdparty``, but the admin's status column is a method without a label."""

    verbose_name = _("Login throttling")

    def ready(self) -> None:
        super().ready()
        from axes.admin import AccessAttemptAdmin

        AccessAttemptAdmin.status.short_description = _("status")


class ConfigConfig(AppConfig):
    """The project package as an app, for the signal receivers of config/security.py."""

    name = "config"
    verbose_name = "Configuration"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from config.security import note_login

        user_logged_in.connect(note_login, dispatch_uid="config.security.note_login")
