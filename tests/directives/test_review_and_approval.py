"""The review queue shows whole reports and keeps its count right; unit leaders approve
their unit's reports before the committee sees them, where the committee wants it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directives import selectors, services
from directives.models import ProgressReport
from notifications.models import Notification
from tests.directives.test_progress_services import build_world, pdf
from tests.factories import UserFactory
from units.models import Role

HTMX = {"HTTP_HX_REQUEST": "true"}
LONG = "Đã tổ chức hội nghị quán triệt " * 20 + "PHẦN CUỐI KẾT QUẢ"


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(two_provinces)
    world["a"]["leader"] = UserFactory(
        username="leader_a", unit=world["a"]["front"], role=Role.LEADER
    )
    return world


def submit(world, **kwargs) -> ProgressReport:
    p = world["a"]
    author = kwargs.pop("author", p["staff"])
    values = {
        "percent": 40,
        "results": LONG,
        "difficulties": "Thiếu kinh phí tổ chức ở cơ sở.",
        "proposals": "Đề nghị Thường trực bổ sung kinh phí.",
        "files": [pdf("Báo cáo chi tiết.pdf")],
    }
    values.update(kwargs)
    return services.assignment_submit_progress(assignment=p["assignment"], author=author, **values)


def test_review_queue_shows_the_whole_report_with_its_attachments(client, world):
    submit(world)
    client.force_login(world["a"]["monitor"])
    content = client.get(reverse("progress:review_queue")).content.decode()
    assert "PHẦN CUỐI KẾT QUẢ" in content
    assert "Thiếu kinh phí tổ chức ở cơ sở." in content
    assert "Đề nghị Thường trực bổ sung kinh phí." in content
    assert 'data-testid="review-details"' in content
    assert "Báo cáo chi tiết.pdf" in content


def test_review_count_follows_decisions(client, world):
    first = submit(world)
    world["a"]["assignment"].refresh_from_db()
    second = ProgressReport.objects.create(
        assignment=first.assignment,
        author=world["a"]["staff"],
        reported_on=first.reported_on,
        percent=50,
        results="Báo cáo thứ hai.",
    )
    client.force_login(world["a"]["monitor"])
    url = reverse("progress:review_queue")
    assert client.get(url).context["page_obj"].paginator.count == 2
    response = client.post(
        reverse("progress:report_review", args=[first.pk]), {"decision": "accept"}, **HTMX
    )
    assert response.status_code == 200
    # The page's counts reload on this event; a reload shows the new count.
    assert response["HX-Trigger"] == "review-decided"
    page = client.get(url)
    assert page.context["page_obj"].paginator.count == 1
    assert 'id="review-count"' in page.content.decode()
    assert "(1)" in page.content.decode()
    client.post(
        reverse("progress:report_review", args=[second.pk]),
        {"decision": "return", "comment": "Bổ sung."},
    )
    assert client.get(url).context["page_obj"].paginator.count == 0


def test_without_leader_approval_reports_go_straight_to_the_monitor(world):
    report = submit(world)
    assert report.status == "submitted"


def test_with_leader_approval_a_staff_report_waits_for_the_leader(client, world):
    p = world["a"]
    p["committee"].leader_approval = True
    p["committee"].save()
    report = submit(world)
    assert report.status == "awaiting_leader"
    assert not selectors.reports_awaiting_review(user=p["monitor"]).exists()
    assert Notification.objects.filter(
        recipient=p["leader"], dedup_key=f"report:{report.pk}:to-approve", channel="inapp"
    ).exists()
    # Staff cannot approve; the leader's queue lists it.
    client.force_login(p["staff"])
    assert client.get(reverse("progress:review_queue")).status_code == 403
    response = client.post(
        reverse("progress:report_approve", args=[report.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403
    client.force_login(p["leader"])
    content = client.get(reverse("progress:review_queue")).content.decode()
    assert "PHẦN CUỐI KẾT QUẢ" in content
    response = client.post(
        reverse("progress:report_approve", args=[report.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.approved_by) == ("submitted", p["leader"])
    assert list(selectors.reports_awaiting_review(user=p["monitor"])) == [report]


def test_leader_returns_a_report_to_its_author_with_a_comment(client, world):
    p = world["a"]
    p["committee"].leader_approval = True
    p["committee"].save()
    report = submit(world)
    client.force_login(p["leader"])
    url = reverse("progress:report_approve", args=[report.pk])
    response = client.post(url, {"decision": "return", "comment": ""}, **HTMX)
    assert response.status_code == 422
    report.refresh_from_db()
    assert report.status == "awaiting_leader"
    client.post(url, {"decision": "return", "comment": "Nêu rõ số liệu."})
    report.refresh_from_db()
    assert (report.status, report.review_comment) == ("returned", "Nêu rõ số liệu.")
    inbox = Notification.objects.get(
        recipient=p["staff"], dedup_key=f"report:{report.pk}:leader-returned", channel="inapp"
    )
    assert "Nêu rõ số liệu." in inbox.body_text


def test_leader_of_another_unit_cannot_approve(client, world):
    p = world["a"]
    p["committee"].leader_approval = True
    p["committee"].save()
    report = submit(world)
    other = UserFactory(unit=p["commune"], role=Role.LEADER)
    client.force_login(other)
    response = client.post(
        reverse("progress:report_approve", args=[report.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == "awaiting_leader"


def test_a_leaders_own_report_goes_straight_to_the_monitor(world):
    p = world["a"]
    p["committee"].leader_approval = True
    p["committee"].save()
    report = submit(world, author=p["leader"])
    assert report.status == "submitted"
