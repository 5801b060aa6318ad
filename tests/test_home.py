"""The start page: what each person should do next, by role, in a fixed number of
queries; "Việc của tôi" opens on open work."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from directives import services
from directives.status import local_today
from notifications.api import notify
from notifications.models import Notification
from reports.models import PeriodKind, ReportingPeriod, ReportRequest
from tests.factories import AssignmentFactory, DirectiveFactory, TaskFactory, UserFactory
from units.models import Role


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    p = two_provinces["a"]
    p["leader"] = UserFactory(username="leader_a", unit=p["front"], role=Role.LEADER)
    p["directive"] = DirectiveFactory(issuer=p["committee"], monitoring_unit=p["board"])

    def add(n: int) -> None:
        for i in range(n):
            for unit, due, title in (
                (p["front"], days(-10 - i), f"Việc quá hạn {i}"),
                (p["front"], days(3), f"Việc sắp đến hạn {i}"),
                (p["front"], days(40), f"Việc còn xa {i}"),
                (p["commune"], days(-5), f"Việc của xã {i}"),
            ):
                task = TaskFactory(directive=p["directive"], due_on=due, title=title)
                AssignmentFactory(task=task, unit=unit)
        done = TaskFactory(directive=p["directive"], due_on=days(-30), title="Việc đã xong")
        AssignmentFactory(task=done, unit=p["front"], completed_on=days(-31))

    p["add"] = add
    return two_provinces


def home(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def returned_report(p):
    assignment = p["front"].assignments.filter(task__title="Việc sắp đến hạn 0").get()
    report = services.assignment_submit_progress(
        assignment=assignment, author=p["staff"], percent=30, results="Đã triển khai."
    )
    services.progress_review(
        report=report, reviewer=p["monitor"], accept=False, comment="Thiếu số liệu cụ thể."
    )
    return assignment


def test_staff_start_page_shows_overdue_due_this_week_returned_and_notifications(client, world):
    p = world["a"]
    p["add"](2)
    returned_report(p)
    content, _ = home(client, p["staff"])
    assert 'data-testid="home-overdue"' in content and "Việc quá hạn 0" in content
    assert "quá hạn 10 ngày" in content  # the one count of days overdue
    assert "Việc sắp đến hạn 1" in content
    assert "Việc còn xa" not in content  # not this week
    assert "Việc của xã" not in content  # another unit's
    assert "Thiếu số liệu cụ thể." in content  # the returned report, with its comment
    assert 'data-testid="home-notifications"' in content
    notice = Notification.objects.get(recipient=p["staff"], channel="inapp")
    assert escape(notice.subject) in content  # the notice of the return
    assert 'data-testid="home-waiting"' not in content


def test_monitor_start_page_shows_the_queue_reports_owed_and_worst_units(client, world):
    p = world["a"]
    p["add"](2)
    extra = TaskFactory(directive=p["directive"], due_on=days(-2), title="Thêm một việc quá hạn")
    AssignmentFactory(task=extra, unit=p["front"])  # the Front: 3 overdue, the commune 2
    assignment = p["front"].assignments.filter(task__title="Việc còn xa 0").get()
    services.assignment_submit_progress(
        assignment=assignment, author=p["staff"], percent=20, results="Đang triển khai."
    )
    period = ReportingPeriod.objects.create(
        kind=PeriodKind.QUARTER, label="Quý I", start_on=days(-90), end_on=days(-1)
    )
    request = ReportRequest.objects.create(
        title="Báo cáo quý I về dân vận",
        committee=p["committee"],
        requested_by_unit=p["board"],
        period=period,
        deadline=days(5),
    )
    request.units.set([p["front"], p["commune"]])
    content, _ = home(client, p["monitor"])
    assert 'data-testid="home-waiting"' in content and "Việc còn xa 0" in content
    assert "Báo cáo quý I về dân vận" in content
    assert 'data-answered="0" data-asked="2"' in content
    worst = content[content.index('data-testid="home-worst-units"') :]
    assert worst.index(p["front"].name) < worst.index(p["commune"].name)
    assert 'data-testid="home-overdue"' not in content


def test_leader_start_page_shows_approvals_and_the_whole_unit(client, world):
    p = world["a"]
    p["committee"].leader_approval = True
    p["committee"].save()
    p["add"](1)
    assignment = p["front"].assignments.filter(task__title="Việc còn xa 0").get()
    services.assignment_submit_progress(
        assignment=assignment, author=p["staff"], percent=20, results="Chờ lãnh đạo duyệt."
    )
    content, _ = home(client, p["leader"])
    assert 'data-testid="home-waiting"' in content and "Việc còn xa 0" in content
    assert 'data-testid="home-unit-picture"' in content
    assert 'data-testid="home-overdue"' in content


@pytest.mark.parametrize("role", ["staff", "leader", "monitor", "viewer"])
def test_start_page_queries_do_not_grow_with_the_work(client, world, role):
    p = world["a"]
    p["add"](1)
    notify(
        recipient=p[role],
        kind="other",
        dedup_key="hello",
        subject="Xin chào",
        template="email/event",
        context={"message": "Xin chào", "link": "/"},
    )
    _, few = home(client, p[role])
    p["add"](12)
    _, many = home(client, p[role])
    assert many == few
    assert few <= {"staff": 12, "leader": 15, "monitor": 15, "viewer": 10}[role]


def test_my_work_opens_on_open_work_with_finished_behind_a_filter(client, world):
    p = world["a"]
    p["add"](1)
    client.force_login(p["staff"])
    content = client.get(reverse("progress:my_work")).content.decode()
    assert "Việc quá hạn 0" in content and "Việc còn xa 0" in content
    assert "Việc đã xong" not in content
    content = client.get(reverse("progress:my_work"), {"show": "finished"}).content.decode()
    assert "Việc đã xong" in content and "Việc quá hạn 0" not in content
    content = client.get(reverse("progress:my_work"), {"show": "all"}).content.decode()
    assert "Việc đã xong" in content and "Việc quá hạn 0" in content
    # Asking for a status shows it, finished or not.
    content = client.get(reverse("progress:my_work"), {"status": "done_on_time"}).content.decode()
    assert "Việc đã xong" in content
