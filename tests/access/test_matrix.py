"""Every named URL × every role × an object inside and one outside the role's scope, by GET
and by POST: the status each gets, and no page showing a code or a unit name from outside.

The list of URLs comes from the resolver: a URL added without an entry in ``MATRIX`` fails
``test_every_named_url_has_an_entry``. The world is built once for the module (in a
transaction rolled back at the end) and every test runs in a savepoint of its own.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access.permissions import assignment_reviewable_q, directive_editable_q
from api.models import ApiKey, api_key_create
from directives.models import (
    Assignment,
    Directive,
    DirectiveStatus,
    ExplanationRequest,
    ExtensionRequest,
    ImportDraft,
    ProgressAttachment,
    ProgressReport,
)
from directives.selectors import extensions_reviewable_by, reports_reviewable_by
from directives.status import local_today
from notifications.models import Channel, Notification, WebhookEndpoint
from notifications.webhooks import webhook_endpoint_create
from reports.models import (
    PeriodKind,
    ReportingPeriod,
    ReportRequest,
    RollupReport,
    RollupStatus,
    UnitReport,
)
from tests.access.world import World, build_world
from units.models import Unit

ROLES = ["admin", "central", "monitor", "viewer", "inspector", "leader", "staff", "anon"]
SIGNED_IN = [r for r in ROLES if r != "anon"]
# Roles whose scope holds both provinces: for them the "outside" object is inside.
SEE_ALL = {"admin", "central"}
MANAGERS = {"admin", "central", "monitor"}
REPORTERS = {"leader", "staff"}
COMMITTEE = {"monitor", "viewer", "inspector"}

# What each role must never read, anywhere. Province B's documents and units (every B unit
# name holds "Phú Yên"), the central confidential resolution, and, for the roles below the
# committee, what lies beside them in province A.
B_CODES = ["501-KL/TU", "502-CT/TU", "503-HD/BDVTU", "504-KL/TU", "505-NQ/ĐU", "506-NQ/ĐU"]
PROVINCE_A = ["Phú Yên", "Sông Cầu", "Xuân Phú", "77-CT/TW", *B_CODES]
HIDDEN = {
    "admin": [],
    "central": [],
    "monitor": PROVINCE_A,
    "viewer": PROVINCE_A,
    "inspector": PROVINCE_A,
    "leader": [
        *PROVINCE_A, "102-CT/TU", "103-HD/BDVTU", "104-KL/TU", "105-NQ/ĐU", "106-NQ/ĐU",
        "Kinh Môn", "An Lưu", "Hiệp Sơn",
    ],
    "staff": [*PROVINCE_A, "102-CT/TU", "103-HD/BDVTU", "106-NQ/ĐU", "Hiệp Sơn"],
    "anon": [*PROVINCE_A, "Hải Dương", "101-KL/TU"],
}  # fmt: skip

LOGIN = 302  # anonymous visitors are sent to the login page
OK_OR_DOWN = frozenset({200, 503})


@dataclass
class Entry:
    """How to reach a URL for a role (``kwargs(world, role, side)``, None when the URL
    takes nothing) and the status each role gets inside its scope; ``out_get`` and
    ``out_post`` override the outside status (default: 404, or the inside status for
    roles that see everything)."""

    get: dict[str, int]
    post: dict[str, int]
    kwargs: Callable | None = None
    query: Callable | None = None
    out_get: dict[str, int] = field(default_factory=dict)
    out_post: dict[str, int] = field(default_factory=dict)
    # URLs whose object is the user's own (their unit's work, their message): outside is
    # someone else's, 404 even for those who see everything.
    own_only: bool = False
    # A view that never reads the user: asked of one signed-in role and the anonymous one.
    same_for_all: bool = False


def by(default: int, anon: int = LOGIN, **roles: int) -> dict[str, int]:
    """Statuses: ``default`` for every signed-in role, exceptions by name."""
    return {role: roles.get(role, default) for role in SIGNED_IN} | {"anon": anon}


def managers(yes: int, no: int = 403, anon: int = LOGIN, **roles: int) -> dict[str, int]:
    return by(no, anon, **({r: yes for r in MANAGERS} | roles))


def reporters(yes: int, no: int = 403, anon: int = LOGIN, **roles: int) -> dict[str, int]:
    return by(no, anon, **({r: yes for r in REPORTERS} | roles))


def admins(yes: int) -> dict[str, int]:
    return by(403, admin=yes)


NOT_ADMIN = {role: 403 for role in SIGNED_IN if role != "admin"}


# --- The world -------------------------------------------------------------------------


def _api_key(world: World, side: str) -> ApiKey:
    """A key of the side's staff member (keys are not scoped: only administrators see any)."""
    owner = world.sides[side].users["staff"] if side == "a" else world.admin
    key = ApiKey.objects.filter(name=f"matrix-{side}").first()
    return key or api_key_create(user=owner, name=f"matrix-{side}")[0]


def _webhook(world: World, side: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(name=f"matrix-{side}").first()
    return endpoint or webhook_endpoint_create(
        name=f"matrix-{side}", url="http://127.0.0.1:9/hook", events=["task.assigned"]
    )


def own_assignment(world: World, role: str, side: str) -> Assignment:
    objects = world.sides[side].objects
    return objects["commune_assignment"] if role == "staff" else objects["assignment"]


def own_unit(world: World, role: str, side: str) -> Unit:
    units = world.sides[side].units
    return units["commune"] if role == "staff" else units["front"]


def _o(world: World, side: str, key: str):
    return world.sides[side].objects[key]


def _doc(world: World, side: str):
    return world.sides[side].docs["province"]


def build_matrix_world(media) -> World:
    world = build_world(with_files=True)
    # The migrations add the standard periods; a flushed database has none.
    period, _created = ReportingPeriod.objects.get_or_create(
        kind=PeriodKind.YEAR,
        start_on=datetime.date(2024, 1, 1),
        end_on=datetime.date(2024, 12, 31),
        directive=None,
        defaults={"label": "Năm 2024"},
    )
    for key, side in world.sides.items():
        o, u = side.objects, side.units
        leader, staff = side.users["leader"], side.users["staff"]
        overdue = local_today() - datetime.timedelta(days=30)
        for assignment in (o["assignment"], o["commune_assignment"]):
            assignment.due_on = assignment.original_due_on = overdue
            assignment.save()
        o["commune_report"] = ProgressReport.objects.create(
            assignment=o["commune_assignment"], author=staff, reported_on=overdue,
            percent=10, results=f"Kết quả xã {key}",
        )  # fmt: skip
        for report in (o["report"], o["commune_report"]):
            o.setdefault("files", []).append(
                ProgressAttachment.objects.create(
                    report=report,
                    file=ContentFile(b"%PDF-1.4", name=f"minh-chung-{key}.pdf"),
                    original_name=f"minh-chung-{key}.pdf",
                    content_type="application/pdf",
                    size=8,
                )
            )
        o["extension"] = ExtensionRequest.objects.create(
            assignment=o["assignment"], requested_by=leader, current_due_on=overdue,
            proposed_due_on=overdue + datetime.timedelta(days=60), reason="Chờ kinh phí",
        )  # fmt: skip
        for assignment, name in ((o["assignment"], "explanation"),
                                 (o["commune_assignment"], "commune_explanation")):  # fmt: skip
            o[name] = ExplanationRequest.objects.create(
                assignment=assignment, requested_by=side.users["monitor"], message="Vì sao chậm?"
            )
        o["rollup"] = RollupReport.objects.create(
            committee=u["committee"], issuer=u["board"], period=period, number=1,
            code=f"1-BC/BDVTU-{key}", subject="tổng hợp", issued_on=datetime.date(2024, 12, 31),
            status=RollupStatus.FAILED,
        )  # fmt: skip
        o["request"] = ReportRequest.objects.create(
            title=f"Báo cáo năm của tỉnh {key}", requested_by_unit=u["board"],
            committee=u["committee"], period=period, deadline=datetime.date(2024, 12, 15),
        )  # fmt: skip
        o["request"].units.set([u["front"], u["commune"]])
        # The commune's answer (the Front's stays unsaved for the leader's entries).
        o["unit_report"] = UnitReport.objects.create(
            request=o["request"], unit=u["commune"], results=f"Kết quả của xã {key}"
        )
        for role, user in side.users.items():
            o[f"message_{role}"] = Notification.objects.create(
                recipient=user, channel=Channel.INAPP, kind="report",
                dedup_key=f"matrix-{user.pk}", subject="Thông báo", body_text="Nội dung",
            )  # fmt: skip
    for user in (world.admin, world.central_monitor):
        world.a.objects[f"message_{user.pk}"] = Notification.objects.create(
            recipient=user, channel=Channel.INAPP, kind="report",
            dedup_key=f"matrix-{user.pk}", subject="Thông báo", body_text="Nội dung",
        )  # fmt: skip
    return world


def user_of(world: World, role: str):
    if role == "admin":
        return world.admin
    if role == "central":
        return world.central_monitor
    return world.a.users[role]


def message_of(world: World, role: str, side: str) -> Notification:
    """The role's own message inside; a province B user's message outside."""
    if side == "b":
        return world.b.objects["message_staff"]
    if role in ("admin", "central"):
        return world.a.objects[f"message_{user_of(world, role).pk}"]
    if role == "anon":
        return world.a.objects["message_staff"]
    return world.a.objects[f"message_{role}"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once; rolled back when the module ends."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_matrix_world(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- The matrix ------------------------------------------------------------------------

PUBLIC_FORM = by(200, anon=200)

MATRIX: dict[str, Entry] = {
    "home": Entry(get=by(200), post=by(405)),
    # 503 while the worker or Redis is down, which is no business of access control.
    "healthz": Entry(
        get=by(OK_OR_DOWN, anon=OK_OR_DOWN),
        post=by(OK_OR_DOWN, anon=OK_OR_DOWN),
        same_for_all=True,
    ),
    "set_language": Entry(get=by(302, anon=302), post=by(302, anon=302)),
    "login": Entry(get=PUBLIC_FORM, post=PUBLIC_FORM),
    "logout": Entry(get=by(405, anon=405), post=by(302, anon=302)),
    "password_change": Entry(get=by(200), post=by(200)),
    "password_change_done": Entry(get=by(200), post=by(405)),
    # Units
    "units:list": Entry(get=by(200), post=by(405)),
    "units:detail": Entry(
        kwargs=lambda w, r, s: {"pk": own_unit(w, r, s).pk}, get=by(200), post=by(405)
    ),
    "units:restructure": Entry(
        kwargs=lambda w, r, s: {"pk": own_unit(w, r, s).pk, "operation": "rename"},
        get=managers(200),
        post=managers(400),
    ),
    # Search: everything a role finds is within what it sees.
    "search:results": Entry(
        query=lambda w, r, s: {"q": "phu yen"},
        get=by(200),
        post=by(405),
        out_get=by(200),
        out_post=by(405),
    ),
    # Directives
    "directives:list": Entry(get=by(200), post=by(405)),
    "directives:create": Entry(get=managers(200), post=managers(400)),
    "directives:import": Entry(get=managers(200), post=managers(400)),
    "directives:import_review": Entry(
        kwargs=lambda w, r, s: {"draft": _draft_key(r).hex if s == "a" else "0" * 32},
        get=managers(200),
        post=managers(400),
        out_get=managers(404),
        out_post=managers(404),
    ),
    "directives:detail": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk}, get=by(200), post=by(405)
    ),
    "directives:edit": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk}, get=managers(200), post=managers(400)
    ),
    # Units have reported on it: the deletion is refused with a message (302).
    "directives:delete": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk}, get=managers(200), post=managers(302)
    ),
    "directives:history": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk}, get=managers(200), post=by(405)
    ),
    "directives:attachment": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk, "attachment_pk": _o(w, s, "attachment").pk},
        get=by(200),
        post=by(200),
    ),
    "directives:task_assign": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk, "task_pk": _o(w, s, "assignment").task_id},
        get=managers(200),
        post=managers(400),
    ),
    "directives:task_delete": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk, "task_pk": _o(w, s, "assignment").task_id},
        get=managers(200),
        post=managers(302),
    ),
    "directives:assignment_cancel": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk, "assignment_pk": _o(w, s, "assignment").pk},
        get=managers(200),
        post=managers(302),
    ),
    # Progress
    "progress:my_work": Entry(get=by(200), post=by(405)),
    "progress:assignment_detail": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk}, get=by(200), post=by(405)
    ),
    "progress:assignment_row": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk},
        get=reporters(200, 404),
        post=by(405),
        own_only=True,
    ),
    "progress:assignment_report": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk},
        get=reporters(200),
        post=reporters(422),
    ),
    "progress:extension_request": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk},
        get=by(405),
        post=reporters(422),
    ),
    "progress:explanation_request": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk},
        get=by(405),
        post=managers(422),
    ),
    "progress:explanation_answer": Entry(
        kwargs=lambda w, r, s: {
            "pk": _o(w, s, "commune_explanation" if r == "staff" else "explanation").pk
        },
        get=by(405),
        post=reporters(422),
    ),
    "progress:attachment_download": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "files")[1 if r == "staff" else 0].pk},
        get=by(200),
        post=by(405),
    ),
    # Unit leaders get their unit's reports to approve there.
    "progress:review_queue": Entry(get=managers(200, leader=200), post=by(405)),
    # Only a unit leader approves, and only a report of their unit awaiting approval.
    "progress:report_approve": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "report").pk},
        get=by(405),
        post=by(403, leader=404),
        out_post=by(403, leader=404),
    ),
    "progress:report_review": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "report").pk},
        get=by(405),
        post=managers(422),
        out_post=by(403, monitor=404, admin=422, central=422),
    ),
    "progress:extension_decide": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "extension").pk},
        get=by(405),
        post=managers(422),
        out_post=by(403, monitor=404, admin=422, central=422),
    ),
    # Reports
    "reports:dashboard": Entry(
        query=lambda w, r, s: {"unit": own_unit(w, r, s).pk}, get=by(200), post=by(405)
    ),
    "reports:dashboard_xlsx": Entry(
        query=lambda w, r, s: {"unit": own_unit(w, r, s).pk}, get=by(200), post=by(405)
    ),
    "reports:directive_drill": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk}, get=by(200), post=by(405)
    ),
    "reports:rollup_list": Entry(get=by(200), post=by(405)),
    # An administrator without a unit has no committee to report for.
    "reports:rollup_create": Entry(get=managers(200, admin=403), post=managers(400, admin=403)),
    "reports:rollup_detail": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "rollup").pk},
        get=by(200, leader=404, staff=404),
        post=by(405),
    ),
    "reports:rollup_rebuild": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "rollup").pk},
        get=by(405),
        post=managers(302, leader=404, staff=404),
    ),
    "reports:rollup_download": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "rollup").pk, "fmt": "xlsx"},
        get=by(302, leader=404, staff=404),
        post=by(405),
    ),
    "reports:request_list": Entry(get=by(200), post=by(405)),
    "reports:request_create": Entry(get=managers(200, admin=403), post=managers(400, admin=403)),
    "reports:request_detail": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "request").pk}, get=by(200), post=by(405)
    ),
    "reports:unit_report": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "request").pk},
        get=reporters(200),
        post=reporters(302),
    ),
    # The unit leader's decision on a report staff sent: none waits in this world, so even
    # the leader is refused (tests/reports/test_unit_report_approval.py decides one).
    "reports:unit_report_decide": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "request").pk},
        get=by(405),
        post=by(403),
        out_get=by(405),
    ),
    # Notifications
    "notifications:inbox": Entry(get=by(200), post=by(405)),
    "notifications:mark_read": Entry(
        kwargs=lambda w, r, s: {"pk": message_of(w, r, s).pk},
        get=by(405),
        post=by(302),
        own_only=True,
    ),
    "notifications:mark_all_read": Entry(get=by(405), post=by(302)),
    "notifications:preferences": Entry(get=by(200), post=by(302)),
    # Integration API (api/): 401 without a session or a key, JSON errors.
    "api:units": Entry(get=by(200, anon=401), post=by(405, anon=401)),
    "api:unit": Entry(
        kwargs=lambda w, r, s: {"pk": own_unit(w, r, s).pk},
        get=by(200, anon=401),
        post=by(405, anon=401),
    ),
    # An empty body is refused (400) only after the scope (404) and the rule (403).
    "api:directives": Entry(get=by(200, anon=401), post=managers(400, anon=401)),
    "api:directive_import": Entry(get=by(405, anon=401), post=managers(400, anon=401)),
    # Import drafts are the user's own: another's key is a 404, to importers only.
    "api:directive_import_draft": Entry(
        kwargs=lambda w, r, s: {"draft": _draft_key(r).hex if s == "a" else "0" * 32},
        get=managers(200, anon=401),
        post=by(405, anon=401),
        out_get=managers(404, anon=401),
        out_post=by(405, anon=401),
    ),
    "api:directive_import_confirm": Entry(
        kwargs=lambda w, r, s: {"draft": _draft_key(r).hex if s == "a" else "0" * 32},
        get=by(405, anon=401),
        post=managers(400, anon=401),
        out_get=by(405, anon=401),
        out_post=managers(404, anon=401),
    ),
    "api:directive": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk},
        get=by(200, anon=401),
        post=by(405, anon=401),
    ),
    "api:directive_tasks": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk},
        get=by(200, anon=401),
        post=managers(400, anon=401),
    ),
    "api:directive_task": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk, "task_pk": _o(w, s, "assignment").task_id},
        get=by(200, anon=401),
        post=by(405, anon=401),
    ),
    "api:task_assignments": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk, "task_pk": _o(w, s, "assignment").task_id},
        get=by(405, anon=401),
        post=managers(400, anon=401),
    ),
    "api:task_assignments_bulk": Entry(
        kwargs=lambda w, r, s: {"pk": _doc(w, s).pk, "task_pk": _o(w, s, "assignment").task_id},
        get=by(405, anon=401),
        post=managers(400, anon=401),
    ),
    "api:assignments": Entry(get=by(200, anon=401), post=by(405, anon=401)),
    "api:assignment": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk},
        get=by(200, anon=401),
        post=by(405, anon=401),
    ),
    # An empty report is refused (400) only after the scope (404) and the rule (403).
    "api:assignment_reports": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk},
        get=by(200, anon=401),
        post=reporters(400, anon=401),
    ),
    "api:assignment_extensions": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk},
        get=by(200, anon=401),
        post=reporters(400, anon=401),
    ),
    "api:assignment_explanations": Entry(
        kwargs=lambda w, r, s: {"pk": own_assignment(w, r, s).pk},
        get=by(200, anon=401),
        post=managers(400, anon=401),
    ),
    "api:review_queue": Entry(get=managers(200, anon=401, leader=200), post=by(405, anon=401)),
    # The Front's report and extension request: out of the commune staff's sight.
    "api:progress_report_review": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "report").pk},
        get=by(405, anon=401),
        post=managers(400, anon=401, staff=404),
    ),
    "api:extension_decide": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "extension").pk},
        get=by(405, anon=401),
        post=managers(400, anon=401, staff=404),
    ),
    "api:explanation_answer": Entry(
        kwargs=lambda w, r, s: {
            "pk": _o(w, s, "commune_explanation" if r == "staff" else "explanation").pk
        },
        get=by(405, anon=401),
        post=reporters(400, anon=401),
    ),
    "api:report_requests": Entry(get=by(200, anon=401), post=by(405, anon=401)),
    "api:report_request": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "request").pk},
        get=by(200, anon=401),
        post=by(405, anon=401),
    ),
    # Only the units asked answer (an administrator has no unit; the central board was
    # not asked); an empty body saves the draft as it is.
    "api:report_request_unit_report": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "request").pk},
        get=reporters(200, anon=401),
        post=reporters(200, anon=401),
    ),
    "api:unit_reports": Entry(get=by(200, anon=401), post=by(405, anon=401)),
    "api:unit_report": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "unit_report").pk},
        get=by(200, anon=401, leader=404),
        post=by(405, anon=401),
    ),
    "api:rollups": Entry(get=by(200, anon=401), post=managers(400, anon=401, admin=403)),
    "api:rollup": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "rollup").pk},
        get=by(200, anon=401, leader=404, staff=404),
        post=by(405, anon=401),
    ),
    # The first manager's rebuild is queued (202); the next finds it being built (400).
    "api:rollup_rebuild": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "rollup").pk},
        get=by(405, anon=401),
        post=managers(frozenset({202, 400}), anon=401, leader=404, staff=404),
    ),
    # The roll-up failed to build: nothing to download yet (409).
    "api:rollup_download": Entry(
        kwargs=lambda w, r, s: {"pk": _o(w, s, "rollup").pk, "fmt": "xlsx"},
        get=by(409, anon=401, leader=404, staff=404),
        post=by(405, anon=401),
    ),
    "api:notifications": Entry(get=by(200, anon=401), post=by(405, anon=401)),
    "api:notification_read": Entry(
        kwargs=lambda w, r, s: {"pk": message_of(w, r, s).pk},
        get=by(405, anon=401),
        post=by(200, anon=401),
        own_only=True,
    ),
    # The schema and its documentation page describe the API, not its data.
    "api:schema": Entry(get=by(200, anon=200), post=by(405, anon=405), same_for_all=True),
    "api:docs": Entry(get=by(200, anon=200), post=by(405, anon=405), same_for_all=True),
    # Integration pages (api/pages.py): administrators only; the rule answers before the
    # method, so another role's POST is a 403 too.
    "integration:keys": Entry(get=admins(200), post=admins(405)),
    "integration:key_create": Entry(get=admins(200), post=admins(400)),
    "integration:key_revoke": Entry(
        kwargs=lambda w, r, s: {"pk": _api_key(w, s).pk},
        get=admins(200),
        post=admins(302),
        out_get=NOT_ADMIN,
        out_post=NOT_ADMIN,
    ),
    "integration:webhooks": Entry(get=admins(200), post=admins(405)),
    "integration:webhook_create": Entry(get=admins(200), post=admins(400)),
    "integration:webhook": Entry(
        kwargs=lambda w, r, s: {"pk": _webhook(w, s).pk},
        get=admins(200),
        post=admins(302),
        out_get=NOT_ADMIN,
        out_post=NOT_ADMIN,
    ),
    "integration:webhook_disable": Entry(
        kwargs=lambda w, r, s: {"pk": _webhook(w, s).pk},
        get=admins(200),
        post=admins(302),
        out_get=NOT_ADMIN,
        out_post=NOT_ADMIN,
    ),
    # The administration site: Django's own permissions, staff only.
    "admin:index": Entry(get=by(302, admin=200), post=by(302, admin=200)),
}
# The rest of the administration site is generated per model by Django and guarded by
# the same staff check as its index (tested above); it is not listed one by one.
GENERATED = ("admin:",)


def named_urls() -> list[str]:
    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}:{p.name}" if namespace else p.name

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_named_url_has_an_entry():
    missing = [
        name
        for name in named_urls()
        if name not in MATRIX and not (name.startswith(GENERATED) and name != "admin:index")
    ]
    assert not missing, f"URLs without an entry in the access matrix: {missing}"
    assert not set(MATRIX) - set(named_urls()), "entries for URLs that no longer exist"


def expected(entry: Entry, role: str, side: str, method: str) -> int:
    inside = entry.get if method == "get" else entry.post
    if side == "a" or role == "anon":
        return inside[role]
    outside = entry.out_get if method == "get" else entry.out_post
    if role in outside:
        return outside[role]
    if role in SEE_ALL and not entry.own_only:
        return inside[role]
    if inside[role] in (405, OK_OR_DOWN):
        return inside[role]
    return 404


def _url(entry: Entry, name: str, world: World, role: str, side: str) -> str:
    kwargs = entry.kwargs(world, role, side) if entry.kwargs else None
    url = reverse(name, kwargs=kwargs)
    if entry.query:
        url += "?" + "&".join(f"{k}={v}" for k, v in entry.query(world, role, side).items())
    return url


def _login(client, world: World, role: str) -> None:
    client.logout()
    if role != "anon":
        client.force_login(user_of(world, role))
        if role in MANAGERS:
            # A draft of the user's own with a known key, so the entry can name it.
            ImportDraft.objects.get_or_create(
                key=_draft_key(role),
                defaults={
                    "user": user_of(world, role),
                    "proposal": {"subject": "x", "tasks": [], "text": "x"},
                },
            )


def _draft_key(role: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"access-matrix/{role}")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_role_as_the_matrix_says(client, world, name):
    entry = MATRIX[name]
    failures = []
    sides = ("a", "b") if entry.kwargs or entry.query else ("a",)
    for role in ("staff", "anon") if entry.same_for_all else ROLES:
        _login(client, world, role)
        for side in sides:
            url = _url(entry, name, world, role, side)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                want = expected(entry, role, side, method)
                if response.status_code not in (want if isinstance(want, frozenset) else {want}):
                    failures.append(f"{role} {method.upper()} {url} ({side}): "
                                    f"{response.status_code}, expected {want}")  # fmt: skip
                    continue
                if response.status_code == 302 and role == "anon" and name != "logout":
                    assert "/accounts/login/" in response["Location"] or name in (
                        "set_language", "admin:index"
                    ), (name, response["Location"])  # fmt: skip
                body = _text(response)
                leaked = [marker for marker in HIDDEN[role] if marker in body]
                if leaked:
                    failures.append(f"{role} {method.upper()} {url}: shows {leaked}")
    assert not failures, "\n".join(failures)


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if response.streaming or not kind.startswith(("text/", "application/json")):
        return ""
    return response.content.decode(errors="replace")


# --- Lists agree with the rules ------------------------------------------------------------


@pytest.mark.django_db
def test_review_lists_and_review_rules_never_disagree(world):
    """For every role and every report and extension request: in the reviewer's list
    exactly when the rule allows deciding it, and only when its assignment is visible."""
    for role in SIGNED_IN:
        user = user_of(world, role)
        listed_reports = set(reports_reviewable_by(user=user).values_list("pk", flat=True))
        listed_extensions = set(extensions_reviewable_by(user=user).values_list("pk", flat=True))
        visible = set(Assignment.objects.visible_to(user).values_list("pk", flat=True))
        for report in ProgressReport.objects.all():
            allowed = user.has_perm("directives.review_report", report)
            assert allowed == (report.pk in listed_reports), (role, report.pk)
            assert not allowed or report.assignment_id in visible
            assert allowed == user.has_perm("directives.review_assignment", report.assignment)
        for extension in ExtensionRequest.objects.all():
            allowed = user.has_perm("directives.decide_extension", extension)
            assert allowed == (extension.pk in listed_extensions), (role, extension.pk)
        editable = set(Directive.objects.filter(directive_editable_q(user)).values_list("pk"))
        for directive in Directive.objects.all():
            assert user.has_perm("directives.edit_directive", directive) == (
                (directive.pk,) in editable
            )
        reviewable = Assignment.objects.filter(assignment_reviewable_q(user))
        assert set(reviewable.values_list("pk", flat=True)) <= visible


# --- Dashboards count the user's subtree, nothing more ------------------------------------

ROOTS = {
    "admin": None,
    "central": lambda w: w.central["committee"],
    "monitor": lambda w: w.a.units["committee"],
    "viewer": lambda w: w.a.units["committee"],
    "inspector": lambda w: w.a.units["committee"],
    "leader": lambda w: w.a.units["front"],
    "staff": lambda w: w.a.units["commune"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_dashboard_totals_equal_a_recount_of_the_users_subtree(client, world, role):
    client.force_login(user_of(world, role))
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    counts = response.context["figures"]["counts"]
    today = local_today()
    recount = Assignment.objects.filter(
        cancelled=False, task__directive__issued_on__lte=today
    ).exclude(task__directive__status=DirectiveStatus.DRAFT)
    root = ROOTS[role](world) if ROOTS[role] else None
    if root is not None:
        recount = recount.filter(unit__path__startswith=root.path)
    assert counts["total"] == recount.count() > 0
    overdue = recount.filter(completed_on__isnull=True, due_on__lt=today).count()
    assert counts["overdue"] == overdue
    by_unit = response.context["figures"]["by_unit"]
    assert sum(row["total"] for row in by_unit) <= counts["total"]
