"""Which directives a user may see and change; built on the unit scope of units/."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from directives.reach import DirectiveReach
from units.models import Unit

STEPLEN = Unit.steplen


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEPLEN, len(path), STEPLEN)]


def higher_issuers_q(path: str) -> Q:
    """Units above the user's scope and the boards beside them (Ban Bí thư beside the
    Central Committee): their documents are guidance for every level below."""
    ancestors = _ancestor_paths(path)
    if not ancestors:
        return Q(pk__in=[])
    children_of_ancestors = reduce(
        or_, (Q(path__startswith=a, depth=len(a) // STEPLEN + 1) for a in ancestors)
    )
    return Q(path__in=ancestors) | children_of_ancestors


def directive_visibility_q(user) -> Q:
    """A user sees a directive when its issuer, its monitoring unit or one of its assigned
    units is in their scope, or when a higher level issued it and it is not confidential."""
    scope = user.scope
    if scope.everything:
        return Q()
    if scope.path is None:
        return Q(pk__in=[])
    # The (directive, unit) pairs rather than the assignments: a fifth as many rows.
    assigned_here = DirectiveReach.objects.filter(
        directive=OuterRef("pk"), unit__path__startswith=scope.path
    )
    higher = Unit.objects.filter(higher_issuers_q(scope.path)).values("pk")
    return (
        Q(issuer__path__startswith=scope.path)
        | Q(monitoring_unit__path__startswith=scope.path)
        | Q(Exists(assigned_here))
        | Q(issuer__in=higher, confidential=False)
    )


def directive_editable_q(user) -> Q:
    """Monitors change the directives their committee issued or monitors; admins all."""
    scope = user.scope
    if scope.everything and user.is_admin:
        return Q()
    if not user.can_manage_directives or scope.path is None:
        return Q(pk__in=[])
    return Q(issuer__path__startswith=scope.path) | Q(monitoring_unit__path__startswith=scope.path)
