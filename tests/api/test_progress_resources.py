"""The API's review of progress reports, extension and explanation requests: the same
rules as the review queue and the assignment page (access/permissions.py), the same
services (their checks, their notices), scoped like the pages."""

from __future__ import annotations

import datetime

import pytest

from api.models import api_key_create
from directives.models import (
    DecisionStatus,
    ExplanationRequest,
    ExtensionRequest,
    ProgressReport,
    ReportStatus,
)
from directives.status import local_today
from notifications.models import Notification
from tests.api.test_api import API, auth, error_shape
from tests.api.test_directive_resources import post, vietnamese
from tests.factories import ProgressReportFactory, UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(work):
    """Each province's overdue assignment with a report awaiting review."""
    world, objects = work
    for key in ("a", "b"):
        objects[key]["report"] = ProgressReportFactory(
            assignment=objects[key]["late"],
            author=world[key]["staff"],
            percent=70,
            reported_on=local_today() - datetime.timedelta(days=1),
        )
    return world, objects


def test_reports_of_an_assignment_are_listed_newest_first(client, reported):
    world, objects = reported
    late = objects["a"]["late"]
    newer = ProgressReportFactory(assignment=late, author=world["a"]["staff"], percent=80)
    client.force_login(world["a"]["viewer"])
    rows = client.get(f"{API}/assignments/{late.pk}/reports/").json()["results"]
    assert [r["id"] for r in rows] == [newer.pk, objects["a"]["report"].pk]
    error_shape(client.get(f"{API}/assignments/{objects['b']['late'].pk}/reports/"), 404)


def test_the_monitor_accepts_a_report_and_the_assignment_follows(client, reported):
    world, objects = reported
    report = objects["a"]["report"]
    _key, raw = api_key_create(user=world["a"]["monitor"], name="Theo dõi")
    url = f"/progress-reports/{report.pk}/review/"
    response = post(client, url, {"decision": "accept"}, **auth(raw))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    report.refresh_from_db()
    report.assignment.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == world["a"]["monitor"]
    assert report.assignment.progress == 70
    # Decided once: a second decision is refused.
    body = error_shape(post(client, url, {"decision": "accept"}, **auth(raw)), 400)
    assert vietnamese(body["errors"]["non_field_errors"][0])


def test_a_returned_report_needs_a_comment_and_tells_its_author(client, reported):
    world, objects = reported
    report = objects["a"]["report"]
    client.force_login(world["a"]["monitor"])
    url = f"/progress-reports/{report.pk}/review/"
    body = error_shape(post(client, url, {"decision": "return"}), 400)
    assert "comment" in body["errors"] and vietnamese(body["errors"]["comment"][0])
    body = error_shape(post(client, url, {"decision": "maybe"}), 400)
    assert vietnamese(body["errors"]["decision"][0]), body
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    response = post(client, url, {"decision": "return", "comment": "Bổ sung số liệu."})
    assert response.status_code == 200 and response.json()["review_comment"] == "Bổ sung số liệu."
    assert Notification.objects.filter(recipient=world["a"]["staff"], kind__contains="return")


def test_the_review_queue_lists_what_waits_for_the_user(client, reported):
    world, objects = reported
    client.force_login(world["a"]["monitor"])
    rows = client.get(f"{API}/progress-reports/").json()["results"]
    assert [row["id"] for row in rows] == [objects["a"]["report"].pk]
    client.force_login(world["a"]["staff"])
    error_shape(client.get(f"{API}/progress-reports/"), 403)


def test_review_is_404_outside_and_403_for_who_may_not_review(client, reported):
    world, objects = reported
    client.force_login(world["a"]["monitor"])
    b_report = objects["b"]["report"]
    error_shape(
        post(client, f"/progress-reports/{b_report.pk}/review/", {"decision": "accept"}), 404
    )
    for who in ("viewer", "staff"):
        client.force_login(world["a"][who])
        url = f"/progress-reports/{objects['a']['report'].pk}/review/"
        assert error_shape(post(client, url, {"decision": "accept"}), 403)["code"] == (
            "permission_denied"
        )
    assert ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 2


def test_a_unit_leader_approves_a_report_awaiting_them(client, reported):
    world, objects = reported
    report = objects["a"]["report"]
    report.status = ReportStatus.AWAITING_LEADER
    report.save()
    leader = UserFactory(unit=world["a"]["front"], role=Role.LEADER)
    client.force_login(leader)
    response = post(client, f"/progress-reports/{report.pk}/review/", {"decision": "accept"})
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.approved_by == leader


# --- Extension requests --------------------------------------------------------------------


def test_staff_ask_for_an_extension_and_the_monitor_decides(client, work):
    world, objects = work
    late = objects["a"]["late"]
    client.force_login(world["a"]["staff"])
    url = f"/assignments/{late.pk}/extension-requests/"
    proposed = (late.due_on + datetime.timedelta(days=30)).isoformat()
    body = error_shape(post(client, url, {"proposed_due_on": late.due_on.isoformat(),
                                          "reason": "x"}), 400)  # fmt: skip
    assert vietnamese(body["errors"]["proposed_due_on"][0])
    error_shape(post(client, url, {"proposed_due_on": proposed, "reason": ""}), 400)
    response = post(client, url, {"proposed_due_on": proposed, "reason": "Chờ kinh phí."})
    assert response.status_code == 201, response.content
    extension = ExtensionRequest.objects.get(pk=response.json()["id"])
    assert extension.requested_by == world["a"]["staff"]
    listed = client.get(f"{API}{url}").json()["results"]
    assert [row["id"] for row in listed] == [extension.pk]
    # One pending request at a time (the service's rule).
    error_shape(post(client, url, {"proposed_due_on": proposed, "reason": "Lần nữa."}), 400)
    # Staff may not decide; the monitor refuses only with a reason, then approves.
    decide = f"/extension-requests/{extension.pk}/decide/"
    error_shape(post(client, decide, {"decision": "approve"}), 403)
    client.force_login(world["a"]["monitor"])
    body = error_shape(post(client, decide, {"decision": "refuse"}), 400)
    assert "comment" in body["errors"]
    response = post(client, decide, {"decision": "approve"})
    assert response.status_code == 200 and response.json()["status"] == DecisionStatus.APPROVED
    late.refresh_from_db()
    assert late.due_on.isoformat() == proposed
    assert Notification.objects.filter(recipient=world["a"]["staff"]).exists()


def test_extension_requests_outside_scope_are_404(client, work):
    world, objects = work
    b_late = objects["b"]["late"]
    client.force_login(world["a"]["staff"])
    proposed = (b_late.due_on + datetime.timedelta(days=30)).isoformat()
    url = f"/assignments/{b_late.pk}/extension-requests/"
    error_shape(post(client, url, {"proposed_due_on": proposed, "reason": "x"}), 404)
    extension = ExtensionRequest.objects.create(
        assignment=b_late, requested_by=world["b"]["staff"], current_due_on=b_late.due_on,
        proposed_due_on=b_late.due_on + datetime.timedelta(days=30), reason="Chờ",
    )  # fmt: skip
    client.force_login(world["a"]["monitor"])
    error_shape(post(client, f"/extension-requests/{extension.pk}/decide/",
                     {"decision": "approve"}), 404)  # fmt: skip
    # The monitor asks nothing on behalf of a unit.
    a_late = objects["a"]["late"]
    error_shape(post(client, f"/assignments/{a_late.pk}/extension-requests/",
                     {"proposed_due_on": proposed, "reason": "x"}), 403)  # fmt: skip
    extension.refresh_from_db()
    assert extension.status == DecisionStatus.PENDING


# --- Explanation requests ------------------------------------------------------------------


def test_the_monitor_asks_why_an_assignment_is_late_and_the_unit_answers(client, work):
    world, objects = work
    late, later = objects["a"]["late"], objects["a"]["later"]
    client.force_login(world["a"]["monitor"])
    url = f"/assignments/{late.pk}/explanation-requests/"
    error_shape(post(client, url, {"message": ""}), 400)
    # Not overdue: the service's rule.
    body = error_shape(post(client, f"/assignments/{later.pk}/explanation-requests/",
                            {"message": "Vì sao?"}), 400)  # fmt: skip
    assert vietnamese(body["errors"]["non_field_errors"][0])
    response = post(client, url, {"message": "Đề nghị giải trình lý do chậm."})
    assert response.status_code == 201, response.content
    explanation = ExplanationRequest.objects.get(pk=response.json()["id"])
    assert Notification.objects.filter(recipient=world["a"]["staff"]).exists()
    # The monitor does not answer for the unit; staff may not ask.
    answer = f"/explanation-requests/{explanation.pk}/answer/"
    error_shape(post(client, answer, {"answer": "x"}), 403)
    client.force_login(world["a"]["staff"])
    error_shape(post(client, url, {"message": "x"}), 403)
    error_shape(post(client, answer, {"answer": "  "}), 400)
    response = post(client, answer, {"answer": "Do mưa lũ kéo dài."})
    assert response.status_code == 200 and response.json()["answered_at"]
    explanation.refresh_from_db()
    assert explanation.answered_by == world["a"]["staff"]
    # Province B's staff do not see it.
    client.force_login(world["b"]["staff"])
    error_shape(post(client, answer, {"answer": "x"}), 404)
    error_shape(client.get(f"{API}{url}"), 404)
