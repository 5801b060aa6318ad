"""Where the committee asks unit leaders to approve reports, a unit report staff submit
goes to the unit leader first; the leader approves it for the committee or returns it
with a comment. Without the switch nothing changes: the leader submits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notification
from reports import models
from reports.drafting import narratives_gather
from reports.models import UnitReportStatus
from reports.selectors import request_tracker
from tests.factories import UserFactory
from tests.reports.test_rollups import asking_commune_front
from units.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    a = world["a"]
    return {
        "staff": UserFactory(username="staff_cf", unit=a["commune_front"], role=Role.STAFF),
        "leader": UserFactory(username="leader_cf", unit=a["commune_front"], role=Role.LEADER),
    }


def approval_on(world) -> None:
    """The switch of the commune front's committee (its commune's party committee)."""
    committee = world["a"]["commune_front"].committee()
    committee.leader_approval = True
    committee.save()


def send(client, request, text="Đã tổ chức 12 hội nghị.") -> int:
    return client.post(
        reverse("reports:unit_report", args=[request.pk]), {"results": text, "submit": "1"}
    ).status_code


def decide(client, request, decision, comment=""):
    return client.post(
        reverse("reports:unit_report_decide", args=[request.pk]),
        {"decision": decision, "comment": comment},
    )


def the_report(world, request) -> models.UnitReport:
    return models.UnitReport.objects.get(request=request, unit=world["a"]["commune_front"])


def monitor_sees(world, request) -> bool:
    """Whether the report reaches the committee: the request's tracker and the roll-up's
    narrative."""
    tracker = {r["name"]: r["tracker"] for r in request_tracker(request, request.deadline)}
    narrative = narratives_gather(committee=world["a"]["committee"], period=world["period"])
    in_narrative = any("12 hội nghị" in item["text"] for item in narrative["results"])
    submitted = tracker[world["a"]["commune_front"].name] == "submitted"
    assert submitted == in_narrative
    return submitted


def test_without_leader_approval_staff_cannot_submit_and_the_leader_submits(world, people, client):
    request = asking_commune_front(world)
    client.force_login(people["staff"])
    assert send(client, request) == 403
    client.force_login(people["leader"])
    assert send(client, request) == 302
    report = the_report(world, request)
    assert report.status == UnitReportStatus.SUBMITTED and report.submitted_by == people["leader"]
    assert monitor_sees(world, request)


def test_with_leader_approval_a_staff_report_waits_for_the_leader(world, people, client):
    approval_on(world)
    request = asking_commune_front(world)
    client.force_login(people["staff"])
    page = client.get(reverse("reports:unit_report", args=[request.pk])).content.decode()
    assert 'data-testid="unit-report-send"' in page
    assert send(client, request) == 302
    report = the_report(world, request)
    assert report.status == UnitReportStatus.AWAITING_LEADER
    assert report.sent_by == people["staff"] and report.submitted_at is None
    # The committee does not see it yet; the leader is told, once.
    assert not monitor_sees(world, request)
    told = Notification.objects.filter(
        recipient=people["leader"], kind="unit_report_to_approve", channel="inapp"
    )
    assert told.count() == 1
    # Staff can no longer change it, nor decide on it.
    assert (
        client.post(
            reverse("reports:unit_report", args=[request.pk]), {"results": "Sửa"}
        ).status_code
        == 400
    )
    assert decide(client, request, "approve").status_code == 403
    # The leader sees the decision form and approves: it reaches the committee.
    client.force_login(people["leader"])
    page = client.get(reverse("reports:unit_report", args=[request.pk])).content.decode()
    assert 'data-testid="unit-report-decision"' in page
    assert decide(client, request, "approve").status_code == 302
    report.refresh_from_db()
    assert report.status == UnitReportStatus.SUBMITTED
    assert report.submitted_by == people["leader"] and report.submitted_at is not None
    assert report.results == "Đã tổ chức 12 hội nghị."
    assert monitor_sees(world, request)
    # Decided once: a second decision is refused with a message, not a 500.
    assert decide(client, request, "return", "Muộn").status_code == 400


def test_the_leader_returns_with_a_comment_and_staff_are_told_once(world, people, client):
    approval_on(world)
    request = asking_commune_front(world)
    client.force_login(people["staff"])
    send(client, request)
    client.force_login(people["leader"])
    # A return needs its reason.
    response = decide(client, request, "return")
    assert response.status_code == 400
    assert "Đề nghị ghi rõ lý do trả lại báo cáo." in response.content.decode()
    assert the_report(world, request).status == UnitReportStatus.AWAITING_LEADER
    assert decide(client, request, "return", "Bổ sung số liệu hội viên.").status_code == 302
    report = the_report(world, request)
    assert report.status == UnitReportStatus.DRAFT
    assert report.leader_comment == "Bổ sung số liệu hội viên."
    assert not monitor_sees(world, request)
    told = Notification.objects.filter(recipient=people["staff"], channel="inapp")
    assert told.count() == 1
    assert "Bổ sung số liệu hội viên." in told.get().body_text
    # Staff see the comment on the draft, edit it and send it again.
    client.force_login(people["staff"])
    page = client.get(reverse("reports:unit_report", args=[request.pk])).content.decode()
    assert "Bổ sung số liệu hội viên." in page and 'data-testid="unit-report-returned"' in page
    assert send(client, request, "Đã tổ chức 12 hội nghị, 340 hội viên.") == 302
    assert the_report(world, request).status == UnitReportStatus.AWAITING_LEADER
    assert told.count() == 1  # the return was told once, not again
    client.force_login(people["leader"])
    assert decide(client, request, "approve").status_code == 302
    assert monitor_sees(world, request)


def test_only_the_unit_leader_decides(world, people, client):
    approval_on(world)
    a = world["a"]
    request = asking_commune_front(world)
    client.force_login(people["staff"])
    send(client, request)
    # A leader of another unit, the committee's monitor and a viewer cannot approve.
    other_leader = UserFactory(unit=a["front"], role=Role.LEADER)
    for user in (other_leader, a["monitor"], a["viewer"]):
        client.force_login(user)
        assert decide(client, request, "approve").status_code in (403, 404), user
    assert the_report(world, request).status == UnitReportStatus.AWAITING_LEADER


def test_a_unit_without_a_leader_keeps_the_leader_submitting(world, people, client):
    """With the switch on but no active leader in the unit, nobody could approve: staff
    cannot send it to a leader (the unit's leader submits, as without the switch)."""
    approval_on(world)
    people["leader"].is_active = False
    people["leader"].save()
    request = asking_commune_front(world)
    client.force_login(people["staff"])
    assert send(client, request) == 403
