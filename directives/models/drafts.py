"""An import under review, kept per user between reading the text and confirming it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportDraft(models.Model):
    """The parser's proposal and what the user typed on the review page.

    Kept in the database, not the session, so an unsaved review survives logging out
    and in again; it belongs to one user and is deleted when confirmed or discarded.
    """

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_drafts",
        verbose_name=_("user"),
    )
    proposal = models.JSONField(_("proposal"))
    form_data = models.JSONField(_("review form"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import draft")
        verbose_name_plural = _("import drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.proposal.get('code') or self.key}"
