"""Directives: the documents a committee issues, what they cite, their planned reviews
and their files."""

from __future__ import annotations

import datetime

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directives.scoping import directive_visibility_q
from units.models import Unit
from units.text import fold


class DirectiveKind(models.TextChoices):
    """Document types, stored as the abbreviation used in their numbers ("56-KL/TU").

    Labelled in their own context: "Decision" as a document type is not a decision on a
    request.
    """

    NQ = "NQ", pgettext_lazy("document type", "Resolution")
    KL = "KL", pgettext_lazy("document type", "Conclusion")
    CT = "CT", pgettext_lazy("document type", "Instruction")
    QD = "QĐ", pgettext_lazy("document type", "Decision")
    QDI = "QĐi", pgettext_lazy("document type", "Regulation")
    QC = "QC", pgettext_lazy("document type", "Rules")
    KH = "KH", pgettext_lazy("document type", "Plan")
    CTR = "CTr", pgettext_lazy("document type", "Action programme")
    CV = "CV", pgettext_lazy("document type", "Official letter")
    TB = "TB", pgettext_lazy("document type", "Notice")
    HD = "HD", pgettext_lazy("document type", "Guidance")
    DA = "ĐA", pgettext_lazy("document type", "Scheme")
    BC = "BC", pgettext_lazy("document type", "Report")


class DirectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    COMPLETED = "completed", _("Completed")
    SUPERSEDED = "superseded", _("Superseded")


class DirectiveQuerySet(models.QuerySet):
    def visible_to(self, user) -> DirectiveQuerySet:
        return self.filter(directive_visibility_q(user))

    def search(self, text: str | None) -> DirectiveQuerySet:
        key = fold(text)
        if not key:
            return self
        for word in key.split():
            self = self.filter(search_text__contains=word)
        return self


# Deleting is recorded too: the event keeps the whole document as it was, and who did it.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Directive(models.Model):
    """A document a committee issues that sets tasks: a resolution, conclusion, plan...

    ``code`` is the number as printed ("56-KL/TU"), unique per issuing unit. A document
    can implement a higher one (``implements``: 872-CV/TU implements 43-KL/TW) and cites
    others (``references``), linked when the cited document is in the database.
    """

    kind = models.CharField(_("type"), max_length=8, choices=DirectiveKind.choices)
    number = models.CharField(_("number"), max_length=20, blank=True)
    code = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_('As printed, e.g. "56-KL/TU".')
    )
    issuer = models.ForeignKey(
        Unit,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="issued_directives",
    )
    issued_on = models.DateField(_("issued on"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    term = models.CharField(_("term"), max_length=20, blank=True, help_text=_('e.g. "XVI"'))
    subject = models.TextField(_("subject"))
    full_text = models.TextField(_("full text"), blank=True)
    signer_on_behalf = models.CharField(_("on behalf of"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    recipients = ArrayField(
        models.CharField(max_length=300), verbose_name=_("recipients"), default=list, blank=True
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DirectiveStatus.choices,
        default=DirectiveStatus.IN_FORCE,
    )
    implements = models.ForeignKey(
        "self",
        verbose_name=_("implements"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implementations",
    )
    monitoring_unit = models.ForeignKey(
        Unit,
        verbose_name=_("monitoring unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitored_directives",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(_("search key"), editable=False, default="")

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "code"],
                condition=~Q(code=""),
                name="directives_directive_code_per_issuer",
                violation_error_message=_("This issuer already has a document with this number."),
            ),
        ]
        indexes = [
            models.Index(fields=["issuer", "-issued_on"], name="directives_dir_issuer_day"),
            models.Index(fields=["monitoring_unit"], name="directives_dir_monitor"),
            models.Index(fields=["code"], name="directives_dir_code"),
        ]

    def __str__(self) -> str:
        return self.code or f"{self.get_kind_display()} {self.issued_on:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = " ".join(
            fold(part) for part in (self.code, self.get_kind_display(), self.subject) if part
        )
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        """How lists name it: "Kết luận 56-KL/TU về ..." (the subject hidden when confidential)."""
        if self.confidential:
            return str(self)
        return " ".join(p for p in (self.get_kind_display(), self.code, self.subject) if p)


class DirectiveReference(models.Model):
    """A document cited by a directive, kept as cited and linked when it is known."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="references", verbose_name=_("directive")
    )
    cited_code = models.CharField(_("cited number"), max_length=60)
    cited_date = models.DateField(_("cited date"), null=True, blank=True)
    cited_issuer = models.CharField(_("cited issuer"), max_length=255, blank=True)
    cited_text = models.TextField(_("cited as"), blank=True)
    target = models.ForeignKey(
        Directive,
        verbose_name=_("linked document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
    )

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "cited_code"], name="directives_reference_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["cited_code"],
                condition=Q(target__isnull=True),
                name="directives_ref_unresolved",
            ),
        ]

    def __str__(self) -> str:
        return self.cited_code


class ReviewMilestone(models.Model):
    """A planned interim (sơ kết) or final (tổng kết) review of a directive."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim review")
        FINAL = "final", _("Final review")

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("directive")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=120, help_text=_('e.g. "Sơ kết 5 năm"'))
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("review milestone")
        verbose_name_plural = _("review milestones")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.label


def attachment_path(instance, filename: str) -> str:
    today = datetime.date.today()
    return f"attachments/{today:%Y/%m}/{filename}"


# A file added or removed is recorded; a stored file is never edited in place.
@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class DirectiveAttachment(models.Model):
    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("directive")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("directive attachment")
        verbose_name_plural = _("directive attachments")

    def __str__(self) -> str:
        return self.original_name
