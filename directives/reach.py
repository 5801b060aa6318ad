"""Where each directive is assigned: the table the visibility rule reads.

Kept apart from the models that use that rule (``Directive.objects.visible_to``), so
directives/scoping.py can read it without depending on them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectiveReach(models.Model):
    """The units a directive is assigned to, with how many of its assignments each holds:
    what "is this directive assigned to someone in my scope?" asks, without going through
    a million assignments. Kept by database triggers on assignments and tasks (migration
    0003), never written by the application; tests compare it with a recount."""

    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("directive"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Not a PositiveIntegerField: its CHECK would refuse the negative changes the trigger's
    # upsert proposes before adding them up.
    assignments = models.IntegerField(_("number of assignments"))

    class Meta:
        verbose_name = _("directive reach")
        verbose_name_plural = _("directive reach")
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="directives_reach_once")
        ]
        # "Which directives reach the units of this subtree": an index-only scan per unit
        # instead of reading the whole table (the visibility rule of a scoped user).
        indexes = [models.Index(fields=["unit", "directive"], name="directives_reach_unit_dir")]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.unit_id}: {self.assignments}"
