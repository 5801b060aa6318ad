"""API keys: how another system (e-office, an upstream tracker) signs in as a user.

A key is shown once, when an administrator creates it; only its SHA-256 is stored. The
first characters after ``bdv_`` are its public prefix, kept in clear to find the row.
A key acts as its owner and never sees more: every read and write of the API goes
through the owner's scope and permissions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8
SCHEME = "bdv"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, now=None) -> ApiKeyQuerySet:
        now = now or timezone.now()
        return self.filter(revoked=False, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(_("name"), max_length=120, help_text=_('e.g. "E-office system"'))
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    hashed_key = models.CharField(_("hashed key"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({SCHEME}_{self.prefix}…)"

    def set_new_key(self) -> str:
        """Give the key a fresh secret and return it in clear: the only time it is seen."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        self.prefix = prefix
        self.hashed_key = hash_key(raw)
        return raw

    def matches(self, raw: str) -> bool:
        return hmac.compare_digest(self.hashed_key, hash_key(raw))

    @property
    def is_usable(self) -> bool:
        return (
            not self.revoked
            and self.user.is_active
            and (self.expires_at is None or self.expires_at > timezone.now())
        )


def api_key_create(*, user, name: str, expires_at=None) -> tuple[ApiKey, str]:
    """A new key for ``user``; returns the row and the key in clear (shown once)."""
    key = ApiKey(user=user, name=name, expires_at=expires_at)
    raw = key.set_new_key()
    key.save()
    return key, raw


def api_key_lookup(raw: str) -> ApiKey | None:
    """The key ``raw`` names, whatever its state, or None when it names none."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME or len(parts[1]) != PREFIX_LENGTH:
        return None
    key = ApiKey.objects.select_related("user").filter(prefix=parts[1]).first()
    if key is None or not key.matches(raw):
        return None
    return key


class ServiceAccount(models.Model):
    """Another system that holds keys of its own, bound to a unit and a role there.

    It is a user (``user``) who cannot sign in on the pages (no usable password): its keys
    see what a person of that unit and role sees, through the same scoping and rules, and
    never more. Keys of a person act as that person instead.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="service_account",
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service account")
        verbose_name_plural = _("service accounts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.user)
