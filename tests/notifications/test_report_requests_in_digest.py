"""Reports a unit still owes join its one daily digest, and leave it once submitted."""

from __future__ import annotations

import datetime
import re

import pytest

from notifications.models import Channel, Notification, NotificationKind
from notifications.reminders import reminders_sweep
from reports.models import ReportingPeriod, ReportRequest, UnitReport
from tests.notifications.conftest import at

D = datetime.date
MONDAY = D(2026, 3, 2)

pytestmark = pytest.mark.django_db


def requests_listed(html: str) -> dict[int, str]:
    found = re.findall(
        r'data-kind="report_request" data-assignment="(\d+)" data-category="(\w+)"', html
    )
    return {int(pk): category for pk, category in found}


def make_request(province, deadline: D, title: str) -> ReportRequest:
    period, _ = ReportingPeriod.objects.get_or_create(
        kind="year",
        start_on=D(2025, 1, 1),
        end_on=D(2025, 12, 31),
        defaults={"label": "Năm 2025"},
    )
    request = ReportRequest.objects.create(
        title=title,
        committee=province["committee"],
        requested_by_unit=province["board"],
        period=period,
        deadline=deadline,
    )
    request.units.set([province["front"]])
    return request


def test_pending_report_requests_join_the_units_digest(province):
    province["assign"](MONDAY)  # something due today as well
    soon = make_request(province, MONDAY + datetime.timedelta(days=3), "Báo cáo năm 2025")
    late = make_request(province, D(2026, 2, 27), "Báo cáo sơ kết 5 năm")
    make_request(province, MONDAY + datetime.timedelta(days=2), "Không phải mốc nhắc")
    done = make_request(province, MONDAY, "Đã nộp rồi")
    UnitReport.objects.create(
        request=done,
        unit=province["front"],
        status="submitted",
        submitted_at=datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC),
    )

    with at(MONDAY):
        reminders_sweep()

    mail = Notification.objects.get(
        recipient=province["staff"], kind=NotificationKind.DIGEST, channel=Channel.EMAIL
    )
    assert requests_listed(mail.body_html) == {soon.pk: "soon", late.pk: "overdue"}
    assert f"/reports/requests/{late.pk}/my-report/" in mail.body_text
    assert "Báo cáo sơ kết 5 năm" in mail.body_text
    # Never escalated like an assignment.
    assert not Notification.objects.filter(kind__startswith="escalat").exists()


def test_a_unit_that_only_owes_a_report_still_gets_one_digest(province):
    request = make_request(province, MONDAY, "Báo cáo quý I")
    with at(MONDAY):
        reminders_sweep()
        reminders_sweep()
    mails = Notification.objects.filter(
        recipient=province["staff"], kind=NotificationKind.DIGEST, channel=Channel.EMAIL
    )
    assert mails.count() == 1
    assert requests_listed(mails.get().body_html) == {request.pk: "today"}
