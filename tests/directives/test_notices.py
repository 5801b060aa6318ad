"""Events reach the people they concern, in the inbox and by e-mail, exactly once."""

from __future__ import annotations

import datetime

import pytest

from directives import services
from notifications import events as notices
from notifications.models import Notification, NotificationPreference
from reports import services as report_services
from reports.models import PeriodKind, ReportingPeriod, RollupReport
from tests.directives.test_progress_services import build_world, days
from tests.factories import TaskFactory, UserFactory
from units.models import Role, Unit


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(two_provinces)
    world["a"]["leader"] = UserFactory(
        username="leader_a", unit=world["a"]["front"], role=Role.LEADER
    )
    return world


def rows(user, key: str) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(recipient=user, dedup_key=key).values_list("channel", "kind")
    )


def assert_once(user, key: str, kind: str) -> None:
    """One inbox item and one e-mail row for ``user`` under ``key``."""
    assert rows(user, key) == [("email", kind), ("inapp", kind)]


def submit(world, **kwargs):
    p = world["a"]
    values = {"percent": 50, "results": "Đã tổ chức hội nghị quán triệt."}
    values.update(kwargs)
    return services.assignment_submit_progress(
        assignment=p["assignment"], author=p["staff"], **values
    )


def test_task_assigned_tells_the_units_staff_and_leaders_once(world):
    p = world["a"]
    task = TaskFactory(directive=p["directive"], due_on=days(30), title="Nhiệm vụ mới")
    services.task_assign_units(task=task, within=Unit.objects.all(), units=[p["front"]])
    (assignment,) = task.assignments.all()
    key = f"assigned:{assignment.pk}"
    for person in (p["staff"], p["leader"]):
        assert_once(person, key, "assigned")
    assert rows(p["monitor"], key) == []
    # Giving the same task again tells nobody twice.
    services.task_assign_units(task=task, within=Unit.objects.all(), units=[p["front"]])
    notices.announce_assignments([assignment])
    assert_once(p["staff"], key, "assigned")
    body = Notification.objects.get(recipient=p["staff"], dedup_key=key, channel="inapp")
    assert "Nhiệm vụ mới" in body.subject and p["front"].name in body.body_text


def test_returned_report_tells_its_author_with_the_comment(world):
    p = world["a"]
    report = submit(world)
    services.progress_review(
        report=report, reviewer=p["monitor"], accept=False, comment="Bổ sung số liệu xã B."
    )
    key = f"report:{report.pk}:returned"
    assert_once(p["staff"], key, "report_returned")
    notices.announce_review(report)
    assert_once(p["staff"], key, "report_returned")
    inbox = Notification.objects.get(recipient=p["staff"], dedup_key=key, channel="inapp")
    assert "Bổ sung số liệu xã B." in inbox.body_text
    assert inbox.link.endswith(f"/assignments/{p['assignment'].pk}/")
    assert Notification.objects.filter(recipient=p["leader"]).count() == 0


def test_accepted_report_tells_its_author_once(world):
    p = world["a"]
    report = submit(world)
    services.progress_review(report=report, reviewer=p["monitor"], accept=True)
    assert_once(p["staff"], f"report:{report.pk}:accepted", "report_accepted")
    notices.announce_review(report)
    assert_once(p["staff"], f"report:{report.pk}:accepted", "report_accepted")


@pytest.mark.parametrize("approve", [True, False])
def test_extension_decision_tells_who_asked(world, approve):
    p = world["a"]
    request = services.extension_request_create(
        assignment=p["assignment"], by=p["staff"], proposed_due_on=days(40), reason="Chờ kinh phí"
    )
    services.extension_decide(
        request=request,
        by=p["monitor"],
        approve=approve,
        comment="" if approve else "Không đủ lý do",
    )
    key = f"extension:{request.pk}:decided"
    assert_once(p["staff"], key, "extension_decided")
    inbox = Notification.objects.get(recipient=p["staff"], dedup_key=key, channel="inapp")
    assert ("Không đủ lý do" in inbox.body_text) is not approve
    assert days(40).strftime("%d/%m/%Y") in inbox.body_text or not approve
    request.refresh_from_db()
    notices.announce_extension_decision(request)
    assert_once(p["staff"], key, "extension_decided")


def test_explanation_request_tells_the_units_people(world):
    p = world["a"]
    p["assignment"].due_on = days(-3)
    p["assignment"].save()
    request = services.explanation_request_create(
        assignment=p["assignment"], by=p["monitor"], message="Vì sao chậm?"
    )
    key = f"explanation:{request.pk}"
    for person in (p["staff"], p["leader"]):
        assert_once(person, key, "explanation_requested")
    notices.announce_explanation_request(request)
    assert_once(p["staff"], key, "explanation_requested")


def test_in_app_only_preference_drops_the_email(world):
    p = world["a"]
    NotificationPreference.objects.create(user=p["staff"], in_app_only=True)
    report = submit(world)
    services.progress_review(report=report, reviewer=p["monitor"], accept=True)
    assert rows(p["staff"], f"report:{report.pk}:accepted") == [("inapp", "report_accepted")]


def period() -> ReportingPeriod:
    period, _ = ReportingPeriod.objects.get_or_create(
        kind=PeriodKind.QUARTER,
        start_on=datetime.date(2026, 1, 1),
        end_on=datetime.date(2026, 3, 31),
        defaults={"label": "Quý I năm 2026"},
    )
    return period


def test_report_request_tells_each_asked_units_people_once(world):
    p = world["a"]
    request = report_services.report_request_create(
        by=p["monitor"],
        committee=p["committee"],
        period=period(),
        title="Báo cáo quý I",
        deadline=days(10),
        units=[p["front"], p["commune"]],
    )
    key = f"report-request:{request.pk}"
    for person in (p["staff"], p["leader"], p["commune_staff"]):
        assert_once(person, key, "report_request")
    assert rows(p["monitor"], key) == []
    assert rows(world["b"]["staff"], key) == []
    report_services.report_request_announce(request=request)
    assert_once(p["staff"], key, "report_request")


def test_rollup_ready_tells_the_leaders_and_the_requester_once(world):
    p = world["a"]
    rollup = RollupReport.objects.create(
        committee=p["committee"],
        issuer=p["board"],
        period=period(),
        code="01-BC/BDV",
        number=1,
        issued_on=days(0),
        requested_by=p["monitor"],
    )
    report_services.rollup_deliver(report=rollup)
    report_services.rollup_deliver(report=rollup)
    assert_once(p["viewer"], f"rollup-ready:{rollup.pk}:{p['viewer'].pk}", "rollup_ready")
    assert_once(p["monitor"], f"rollup-ready:{rollup.pk}:{p['monitor'].pk}", "rollup_ready")
    assert Notification.objects.filter(recipient=p["staff"]).count() == 0
