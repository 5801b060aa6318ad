from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskSearchText(models.Model):
    """A task's title and description as a search key (``units.text.fold``), one row per
    task, written by a database trigger on every insert or change of the task (migrations
    ``search.0001`` and ``0002``), so searches read a stored column instead of folding text
    per query. The task's directive is kept beside it, so finding the directives with a
    matching task reads this table alone."""

    task = models.OneToOneField(
        "directives.Task",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
        verbose_name=_("task"),
    )
    # Written by the trigger with the key, never by the application.
    directive = models.ForeignKey(
        "directives.Directive",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="task_search_entries",
        verbose_name=_("directive"),
    )
    text = models.TextField(_("search key"))

    class Meta:
        verbose_name = _("task search key")
        verbose_name_plural = _("task search keys")

    def __str__(self) -> str:
        return self.text[:80]
