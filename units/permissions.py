"""Who may restructure which units: administrators anywhere; a committee's monitors
within their committee's subtree (below the committee itself)."""

from __future__ import annotations

from units.models import Role, Unit, User


def can_restructure(user: User, unit: Unit) -> bool:
    """May ``user`` rename, merge, split, move or close ``unit``?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_admin:
        return True
    if user.role != Role.MONITOR:
        return False
    path = user.scope.path
    return path is not None and unit.path.startswith(path) and unit.path != path


def can_receive(user: User, unit: Unit) -> bool:
    """May ``user`` make ``unit`` a successor or a new parent? Anywhere in their scope,
    the committee itself included."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_admin:
        return True
    path = user.scope.path
    return user.role == Role.MONITOR and path is not None and unit.path.startswith(path)


def may_restructure_anything(user: User) -> bool:
    """Whether to show the restructuring links at all."""
    return getattr(user, "is_authenticated", False) and (
        user.is_admin or (user.role == Role.MONITOR and user.scope.path is not None)
    )
