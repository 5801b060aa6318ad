"""Units (the organisations that issue, hold and monitor directives) and the people in them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

import pghistory
import rules
from django.contrib.auth.models import AbstractUser, UserManager, _user_has_perm
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from units.text import fold


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_BOARD = "party_board", _("Party board or office")
    INSPECTION = "inspection", _("Inspection commission")
    PEOPLES_COUNCIL = "peoples_council", _("People's Council")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    DEPARTMENT = "department", _("Department or agency")
    OTHER = "other", _("Other")


class UnitLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


@dataclass(frozen=True)
class Scope:
    """The part of the unit tree a user may see: everything, nothing, or one subtree."""

    everything: bool = False
    path: str | None = None

    def q(self, prefix: str = "") -> Q:
        """A filter for any model that reaches a unit through ``prefix`` (e.g. "unit__")."""
        if self.everything:
            return Q()
        if self.path is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}path__startswith": self.path})


class UnitQuerySet(MP_NodeQuerySet):
    def visible_to(self, user: User) -> UnitQuerySet:
        """The units ``user`` may see. Every query for data starts from this scope."""
        return self.filter(user_scope(user).q())

    def active(self, on: datetime.date | None = None) -> UnitQuerySet:
        on = on or datetime.date.today()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def search(self, text: str | None) -> UnitQuerySet:
        key = fold(text)
        if not key:
            return self
        return self.filter(search_text__contains=key)

    def subtree(self, root: Unit) -> UnitQuerySet:
        """``root`` and everything under it, in one indexed prefix query."""
        return self.filter(path__startswith=root.path)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")


@pghistory.track()
class Unit(MP_Node):
    """An organisation in the political system: a party committee, one of its boards, a
    People's Committee, the Fatherland Front, a mass organisation, an armed-forces unit.

    Units form a tree (central → province → commune; district where history needs it)
    stored as a materialised path, so a subtree is one prefix query on an index.
    A renamed or merged unit keeps its row: documents keep pointing at the name they used.
    """

    # treebeard's columns, declared again only to give them labels.
    path = models.CharField(_("tree path"), max_length=255, unique=True)
    depth = models.PositiveIntegerField(_("depth"))
    numchild = models.PositiveIntegerField(_("number of children"), default=0)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    aliases = ArrayField(
        models.CharField(max_length=255),
        verbose_name=_("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names used in documents, one per line, for matching text."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    email = models.EmailField(_("contact e-mail"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    # Read on party committees: whether their units' leaders approve progress reports
    # and unit reports before the committee's monitors see them.
    leader_approval = models.BooleanField(
        _("unit leaders approve reports"),
        default=False,
        # Also in the database, for bulk loaders that write units without this column.
        db_default=False,
        help_text=_(
            "For a party committee: progress reports of its units go to the unit leader "
            "for approval before the monitors review them."
        ),
    )
    # Folded name, short name, abbreviation and aliases, kept by save() for search.
    search_text = models.TextField(_("search key"), editable=False, default="")

    objects = UnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        # Subtree queries (path LIKE 'prefix%') use the varchar_pattern_ops index Django
        # creates beside the unique index on treebeard's path column.
        indexes = [
            models.Index(fields=["kind", "level"], name="units_unit_kind_level"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="units_unit_valid_range",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        parts = [self.name, self.short_name, self.abbreviation, *self.aliases]
        return " | ".join(fold(p) for p in parts if p)

    @property
    def is_active(self) -> bool:
        today = datetime.date.today()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    def committee(self) -> Unit:
        """The party committee this unit belongs to: itself if it is one, else the nearest
        party committee above it (a Ban Dân vận belongs to its Tỉnh ủy)."""
        if self.kind == UnitKind.PARTY_COMMITTEE:
            return self
        ancestor = (
            Unit.objects.get_ancestors(self)
            .filter(kind=UnitKind.PARTY_COMMITTEE)
            .order_by("-depth")
            .first()
        )
        return ancestor or self

    def leader_approval_required(self) -> bool:
        """Whether this unit's reports need its leader's approval (its committee says)."""
        return self.committee().leader_approval

    def name_on(self, day: datetime.date) -> str:
        """The name the unit had on ``day``, so an old document shows the name it used."""
        rename = (
            self.changes.filter(kind=UnitChange.Kind.RENAME, effective_on__gt=day)
            .order_by("effective_on")
            .first()
        )
        return rename.old_name if rename else self.name


class UnitChange(models.Model):
    """A dated event in a unit's history: a rename, a merge into a successor, a split into
    several successors, a move under another parent, or a closure. One row per unit and
    event; the unit's page shows them ("Trước ngày 01/07/2025: Tỉnh ủy Hải Dương")."""

    class Kind(models.TextChoices):
        RENAME = "rename", _("Rename")
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        MOVE = "move", _("Move")
        CLOSE = "close", _("Close")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    old_name = models.CharField(_("old name"), max_length=255)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    successor = models.ForeignKey(
        Unit,
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed_changes",
    )
    # A split names every successor; ``successor`` is then the first of them.
    successors = models.ManyToManyField(
        Unit, verbose_name=_("successors"), blank=True, related_name="split_changes"
    )
    # Where the unit stood before a move (and before a closure moved its sub-units up).
    old_parent = models.ForeignKey(
        Unit,
        verbose_name=_("previous parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "units.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["unit", "effective_on"], name="units_unitchange_unit_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.old_name} ({self.effective_on:%d/%m/%Y})"


class Role(models.TextChoices):
    STAFF = "staff", _("Unit staff")
    LEADER = "leader", _("Unit leader")
    MONITOR = "monitor", _("Monitor (Mass Mobilisation Commission)")
    VIEWER = "viewer", _("Leader viewer")
    INSPECTOR = "inspector", _("Inspector (read-only)")
    ADMIN = "admin", _("Administrator")


# Roles whose view covers their committee's whole subtree rather than their own unit.
COMMITTEE_WIDE_ROLES = {Role.MONITOR, Role.VIEWER, Role.INSPECTOR}


class User(AbstractUser):
    """A person who signs in: belongs to one unit and has one role there."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(role="admin") | Q(is_superuser=True),
                name="units_user_unit_required",
                violation_error_message=_("Every user except administrators needs a unit."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Vietnamese order: family name first ("Trần Thị Hương").
        return f"{self.last_name} {self.first_name}".strip()

    def has_perm(self, perm: str, obj=None) -> bool:
        # The rules of access/permissions.py alone decide theirs, for superusers too (being
        # one does not make an administrator the staff of a unit that reports), without
        # a query for Django's model permissions. Those (the admin site) still come from
        # the backends, ModelBackend granting superusers all of them.
        if not self.is_active:
            return False
        if rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return _user_has_perm(self, perm, obj)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_read_only(self) -> bool:
        return self.role in {Role.VIEWER, Role.INSPECTOR} and not self.is_superuser

    @property
    def can_manage_directives(self) -> bool:
        return self.is_admin or self.role == Role.MONITOR

    @property
    def can_report_progress(self) -> bool:
        return self.role in {Role.STAFF, Role.LEADER}

    @property
    def can_approve_for_unit(self) -> bool:
        return self.role == Role.LEADER

    @cached_property
    def scope(self) -> Scope:
        return user_scope(self)


def user_scope(user: User) -> Scope:
    """What ``user`` may see: administrators everything; monitors, viewers and inspectors
    their committee's subtree; staff and leaders their own unit's subtree."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if "scope" in user.__dict__:
        return user.__dict__["scope"]
    if user.is_admin:
        return Scope(everything=True)
    if user.unit_id is None:
        return Scope()
    unit = user.unit
    root = unit.committee() if user.role in COMMITTEE_WIDE_ROLES else unit
    return Scope(path=root.path)
