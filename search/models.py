from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskSearchText(models.Model):
    """A task's title and description as a search key (``units.text.fold``), one row per
    task, written by a database trigger on every insert or change of the task (migration
    ``search.0001``), so searches read a stored column instead of folding text per query."""

    task = models.OneToOneField(
        "directives.Task",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
        verbose_name=_("task"),
    )
    text = models.TextField(_("search key"))

    class Meta:
        verbose_name = _("task search key")
        verbose_name_plural = _("task search keys")

    def __str__(self) -> str:
        return self.text[:80]
