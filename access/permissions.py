"""Who may do what: every "may this user do X to this object" of the product.

Each rule is a django-rules predicate registered as a permission named after the app it
is about ("directives.edit_directive"). Views ask ``user.has_perm(name, obj)``, templates
``{% has_perm name user obj as flag %}`` (``{% load rules %}``), services the same before
they write, and an API will ask it too. ``units.User.has_perm`` asks django-rules directly
for these names (superusers included, and without a query for Django's model
permissions); ``rules.permissions.ObjectPermissionBackend`` in AUTHENTICATION_BACKENDS
answers them for anonymous visitors. Names differ from Django's model permissions
("change_directive") on purpose: the admin site keeps its own, by model.

Where it sits: this module imports only units (users, roles and the unit tree). The rules
about directives and reports read the objects they are given, never importing those apps,
so dependencies keep running one way: units ← access ← directives ← reports.

Seeing and doing are split. What a user may *see* is the querysets' job (``visible_to``):
a view loads the object through them and answers 404 outside the scope. What they may
*do* to what they see is decided here (403). When a list must agree with a rule (the
review queue and "may review this report"), the rule is written once as a filter
(``*_q``) and the predicate tests the object against that same filter, so the two
cannot disagree.
"""

from __future__ import annotations

import rules
from django.db.models import Model, Q

from units.models import Role, Unit, User, user_scope

NOTHING = Q(pk__in=[])


# --- Roles ---------------------------------------------------------------------------------


@rules.predicate
def is_monitor(user: User) -> bool:
    """A monitor (Ban Dân vận) or an administrator: enters, assigns and reviews."""
    return user.is_authenticated and user.is_active and user.can_manage_directives


@rules.predicate
def is_administrator(user: User) -> bool:
    """An administrator of the system (role or superuser)."""
    return user.is_authenticated and user.is_active and user.is_admin


@rules.predicate
def is_reporter(user: User) -> bool:
    """Staff or a leader of a unit: reports on their unit's work."""
    return (
        user.is_authenticated
        and user.is_active
        and user.unit_id is not None
        and user.role in (Role.STAFF, Role.LEADER)
    )


@rules.predicate
def is_unit_leader(user: User) -> bool:
    return is_reporter(user) and user.role == Role.LEADER


# --- Filters: the rules that lists share with objects ---------------------------------------


def directive_editable_q(user: User, prefix: str = "") -> Q:
    """Directives ``user`` may change: monitors those their committee issued or monitors,
    administrators all. ``prefix`` reaches a directive from another model
    ("task__directive__")."""
    if not is_monitor(user):
        return NOTHING
    scope = user_scope(user)
    if scope.everything:
        return Q()
    if scope.path is None:
        return NOTHING
    return Q(**{f"{prefix}issuer__path__startswith": scope.path}) | Q(
        **{f"{prefix}monitoring_unit__path__startswith": scope.path}
    )


def assignment_visible_q(user: User, prefix: str = "") -> Q:
    """Assignments of units in the user's scope."""
    return user_scope(user).q(f"{prefix}unit__")


def assignment_reviewable_q(user: User, prefix: str = "") -> Q:
    """Assignments whose reports and extension requests ``user`` decides: on a directive
    they may change, *and* held by a unit they may see. A monitor never decides on work
    whose page is closed to them."""
    return directive_editable_q(user, f"{prefix}task__directive__") & assignment_visible_q(
        user, prefix
    )


def _matches(obj: Model, q: Q) -> bool:
    """Whether ``obj`` passes the filter ``q``, asked of its own table."""
    if obj is None or obj.pk is None:
        return False
    return type(obj)._default_manager.filter(q, pk=obj.pk).exists()


def _in_scope(user: User, unit: Unit | None) -> bool:
    if unit is None:
        return False
    scope = user_scope(user)
    return scope.everything or (scope.path is not None and unit.path.startswith(scope.path))


# --- Object predicates ---------------------------------------------------------------------


@rules.predicate
def sees(user: User, obj: Model) -> bool:
    """The object is in the user's scope, as its own queryset's ``visible_to`` says."""
    if obj is None or obj.pk is None:
        return False
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()


@rules.predicate
def can_edit_directive(user: User, directive) -> bool:
    return _matches(directive, directive_editable_q(user))


@rules.predicate
def can_review_assignment(user: User, assignment) -> bool:
    return _matches(assignment, assignment_reviewable_q(user))


@rules.predicate
def can_decide_on_assignment_of(user: User, obj) -> bool:
    """A report or an extension request: decided by whoever reviews its assignment."""
    return _matches(obj, assignment_reviewable_q(user, "assignment__"))


@rules.predicate
def holds_assignment(user: User, assignment) -> bool:
    """The assignment is the user's own unit's."""
    return assignment is not None and assignment.unit_id == user.unit_id


@rules.predicate
def report_of_own_unit(user: User, report) -> bool:
    """A progress report written on the user's own unit's work."""
    return report is not None and report.assignment.unit_id == user.unit_id


@rules.predicate
def committee_in_scope(user: User, committee: Unit | None) -> bool:
    """The committee is in the user's scope; asked without one (a "New" button), whether
    the user has a committee of their own to act for (an administrator without a unit
    has none)."""
    if committee is None:
        return user.unit_id is not None
    return _in_scope(user, committee)


@rules.predicate
def rollup_in_scope(user: User, rollup) -> bool:
    return rollup is not None and _in_scope(user, rollup.committee)


@rules.predicate
def unit_in_scope(user: User, unit: Unit) -> bool:
    return _in_scope(user, unit)


@rules.predicate
def asked_of_own_unit(user: User, report_request) -> bool:
    """A report request addressed to the user's unit."""
    return (
        report_request is not None
        and user.unit_id is not None
        and report_request.units.filter(pk=user.unit_id).exists()
    )


@rules.predicate
def own_unit_report(user: User, unit_report) -> bool:
    return unit_report is not None and unit_report.unit_id == user.unit_id


@rules.predicate
def leader_approves_unit_report(user: User, unit_report) -> bool:
    """The unit's committee asks its leaders to approve reports, and the unit has a leader
    to approve them (without one, nobody could)."""
    unit = unit_report.unit
    return (
        unit.leader_approval_required()
        and User.objects.filter(unit_id=unit.pk, is_active=True, role=Role.LEADER).exists()
    )


# --- Units -------------------------------------------------------------------------------


@rules.predicate
def restructures(user: User) -> bool:
    """Administrators, and monitors of a committee: rename, merge, split, move, close."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_admin or (user.role == Role.MONITOR and user.scope.path is not None))
    )


@rules.predicate
def below_own_committee(user: User, unit: Unit) -> bool:
    """A unit strictly below the monitor's committee (anywhere, for an administrator)."""
    if unit is None:
        return False
    path = user.scope.path
    return user.is_admin or (path is not None and unit.path.startswith(path) and unit.path != path)


@rules.predicate
def within_own_committee(user: User, unit: Unit) -> bool:
    """The monitor's committee or a unit below it: a successor or a new parent."""
    if unit is None:
        return False
    path = user.scope.path
    return user.is_admin or (path is not None and unit.path.startswith(path))


# --- Permissions ---------------------------------------------------------------------------

PERMISSIONS = {
    # Directives
    "directives.create_directive": is_monitor,
    "directives.import_directive": is_monitor,
    "directives.edit_directive": is_monitor & can_edit_directive,
    "directives.see_history": is_monitor & sees,
    "directives.review": is_monitor,
    "directives.review_assignment": is_monitor & can_review_assignment,
    "directives.review_report": is_monitor & can_decide_on_assignment_of,
    "directives.decide_extension": is_monitor & can_decide_on_assignment_of,
    "directives.report_on_assignment": is_reporter & holds_assignment,
    # A unit leader approves the unit's reports before the committee sees them, where the
    # committee asks for it (Unit.leader_approval).
    "directives.approve_for_unit": is_unit_leader,
    "directives.approve_report": is_unit_leader & report_of_own_unit,
    # Reports
    "reports.create_rollup": is_monitor & committee_in_scope,
    "reports.rebuild_rollup": is_monitor & rollup_in_scope,
    "reports.create_report_request": is_monitor & committee_in_scope,
    "reports.answer_report_request": is_reporter & asked_of_own_unit,
    "reports.edit_unit_report": is_reporter & unit_in_scope,
    "reports.submit_unit_report": is_unit_leader & own_unit_report,
    # Where leaders approve, staff send the unit's report to the leader, who approves it
    # for the committee or returns it (Unit.leader_approval).
    "reports.send_unit_report_to_leader": is_reporter
    & ~is_unit_leader
    & own_unit_report
    & leader_approves_unit_report,
    "reports.approve_unit_report": is_unit_leader & own_unit_report,
    # Units: restructuring (units/services.py)
    "units.restructure": restructures,
    "units.restructure_unit": restructures & below_own_committee,
    "units.receive_unit": restructures & within_own_committee,
    # Integration: API keys, service accounts and webhooks (api/pages.py)
    "api.manage_integration": is_administrator,
}

for _name, _predicate in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
