"""Writes of the integration pages: keys for a person or for a service account, revoking.

A service account is a user bound to a unit and a role who cannot sign in on the pages
(no usable password); its keys go through the same scoping and rules as a person of that
unit and role, so a key never sees more than its owner.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from api.models import ApiKey, ServiceAccount, api_key_create
from units.models import Role, Unit, User

# Roles a service account may hold: those of a unit (an administrator sees everything and
# has no unit, so no system is given that).
SERVICE_ROLES = (Role.STAFF, Role.LEADER, Role.MONITOR, Role.VIEWER, Role.INSPECTOR)


def expiry_from_day(day: datetime.date | None) -> datetime.datetime | None:
    """A key given "until dd/mm/yyyy" works through that whole day, local time."""
    if day is None:
        return None
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


@transaction.atomic
def service_account_create(
    *, name: str, unit: Unit, role: str, description: str = "", by: User | None = None
) -> ServiceAccount:
    """A user for another system, at ``unit`` with ``role``, who cannot sign in."""
    if role not in SERVICE_ROLES:
        raise ValidationError({"role": _("A service account cannot have this role.")})
    base = slugify(name)[:40] or "system"
    user = User(
        username=f"svc-{base}-{secrets.token_hex(3)}",
        first_name=name[:150],
        unit=unit,
        role=role,
        is_active=True,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return ServiceAccount.objects.create(user=user, description=description, created_by=by)


@transaction.atomic
def api_key_issue(
    *,
    name: str,
    owner: User | None = None,
    service: dict | None = None,
    expires_on: datetime.date | None = None,
    by: User | None = None,
) -> tuple[ApiKey, str]:
    """A new key for a person (``owner``) or for a new service account (``service``:
    name, unit, role, description); returns the key and its secret, shown once."""
    if (owner is None) == (service is None):
        raise ValidationError(_("Choose either a user or a service account."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("The expiry date cannot be in the past.")})
    if owner is None:
        owner = service_account_create(by=by, **service).user
    elif not owner.is_active:
        raise ValidationError({"username": _("This user is not active.")})
    return api_key_create(user=owner, name=name, expires_at=expiry_from_day(expires_on))


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> ApiKey:
    ApiKey.objects.filter(pk=key.pk).update(revoked=True)
    key.revoked = True
    return key
