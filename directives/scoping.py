"""Which directives a user may see and change; built on the unit scope of units/."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from directives.reach import DirectiveReach
from units.models import Unit, UnitKind, UnitLevel

STEPLEN = Unit.steplen

# Central bodies whose documents are addressed to every level: the Central Committee, the
# Politburo, the Secretariat, the central boards and the Central Inspection Commission.
# The central Fatherland Front or a ministry speaks to its own line, not to every committee.
SPEAKS_TO_ALL = [UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_BOARD, UnitKind.INSPECTION]


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEPLEN, len(path), STEPLEN)]


def higher_issuers_q(path: str) -> Q:
    """Units whose non-confidential documents reach a user whose scope is ``path``: the
    units directly above it (its chain of committees up to the root) and the central party
    bodies. Never a sibling of one of those: another province, a peer district or commune.
    """
    central = Q(level=UnitLevel.CENTRAL, kind__in=SPEAKS_TO_ALL)
    ancestors = _ancestor_paths(path)
    return Q(path__in=ancestors) | central if ancestors else central


def directive_visibility_q(user) -> Q:
    """A user sees a directive when its issuer, its monitoring unit or one of its assigned
    units is in their scope, or when it is not confidential and was issued by a committee
    directly above them or by a central body that speaks to everyone."""
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
