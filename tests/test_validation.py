"""Dates stay within 1930–2100 and texts within their limits, refused by the form with a
Vietnamese message before the database would fail with a 500."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from directives.importing.dates import parse_deadline
from directives.models import Directive, ProgressReport, Recurrence, ReportStatus
from reports.models import PeriodKind, ReportingPeriod, RollupReport
from tests.directives.test_directive_forms import CREATE
from tests.directives.test_directive_forms import form_data as directive_data
from tests.directives.test_progress_pages import form_data as progress_data
from tests.directives.test_progress_pages import report_url
from tests.directives.test_progress_services import build_world
from tests.factories import AssignmentFactory, ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db

RANGE_MESSAGE = "Nhập ngày trong khoảng từ 01/01/1930 đến 31/12/2100."


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(two_provinces)


@pytest.fixture
def period():
    found, _created = ReportingPeriod.objects.get_or_create(
        kind=PeriodKind.FIRST_HALF,
        start_on=datetime.date(2024, 1, 1),
        end_on=datetime.date(2024, 6, 30),
        directive=None,
        defaults={"label": "6 tháng đầu năm 2024"},
    )
    return found


# The signature lines above the name follow the issuer (reports/drafting.py); the form takes
# only the place and the signer's name as text.
@pytest.mark.parametrize("name", ["place", "signer_name"])
def test_a_long_rollup_header_is_refused_not_a_500(client, two_provinces, period, name):
    client.force_login(two_provinces["a"]["monitor"])
    data = {"period": period.pk, "issued_on": "05/02/2025", name: "Ạ" * 121}
    response = client.post(reverse("reports:rollup_create"), data)
    assert response.status_code == 400
    assert "120" in response.content.decode()
    assert not RollupReport.objects.exists()
    data[name] = "Ạ" * 120
    assert client.post(reverse("reports:rollup_create"), data).status_code == 302


def test_a_rollup_recipient_line_longer_than_the_database_keeps_is_refused(
    client, two_provinces, period
):
    client.force_login(two_provinces["a"]["monitor"])
    data = {"period": period.pk, "recipients": "Lưu VT\n" + "x" * 301}
    response = client.post(reverse("reports:rollup_create"), data)
    assert response.status_code == 400
    assert "Mỗi dòng có tối đa 300 ký tự" in response.content.decode()
    assert not RollupReport.objects.exists()


@pytest.mark.parametrize("day", ["31/12/9999", "31/12/1929", "01/01/2101"])
def test_a_task_due_outside_the_sane_range_is_refused(client, two_provinces, day):
    a = two_provinces["a"]
    client.force_login(a["monitor"])
    data = directive_data(a["committee"], **{"tasks-0-due_on": day})
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert RANGE_MESSAGE in response.content.decode()
    assert not Directive.objects.exists()


def test_the_directive_date_is_checked_too(client, two_provinces):
    a = two_provinces["a"]
    client.force_login(a["monitor"])
    response = client.post(CREATE, directive_data(a["committee"], issued_on="01/01/0001"))
    assert response.status_code == 400 and RANGE_MESSAGE in response.content.decode()


def test_the_full_text_may_be_long_but_not_endless(client, two_provinces):
    a = two_provinces["a"]
    client.force_login(a["monitor"])
    response = client.post(CREATE, directive_data(a["committee"], full_text="a" * 2_000_001))
    assert response.status_code == 400 and not Directive.objects.exists()
    response = client.post(CREATE, directive_data(a["committee"], full_text="a" * 100_000))
    assert response.status_code == 302


def test_a_narrative_over_twenty_thousand_characters_is_refused(client, world):
    client.force_login(world["a"]["staff"])
    response = client.post(
        report_url(world["a"]["assignment"]), progress_data(results="a" * 20_001)
    )
    assert response.status_code == 422
    assert "20000" in response.content.decode().replace(".", "")
    assert not ProgressReport.objects.exists()


def test_accepting_a_yearly_duty_due_in_9999_is_refused_not_a_500(client, world):
    """A due date stored before dates were limited: the review says so and changes nothing."""
    a = world["a"]
    task = TaskFactory(
        directive=a["directive"],
        section="9",
        due_on=datetime.date(9999, 12, 31),
        recurrence=Recurrence.YEARLY,
    )
    assignment = AssignmentFactory(
        task=task, unit=a["front"], due_on=task.due_on, recurrence=Recurrence.YEARLY
    )
    report = ProgressReportFactory(assignment=assignment, author=a["staff"], completed=True)
    client.force_login(a["monitor"])
    response = client.post(
        reverse("progress:report_review", args=[report.pk]), {"decision": "accept"}
    )
    assert 400 <= response.status_code < 500
    assert "sau năm 2100" in response.content.decode()
    report.refresh_from_db()
    assignment.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert assignment.due_on == datetime.date(9999, 12, 31)


def test_the_import_reads_no_deadline_outside_the_sane_range():
    assert parse_deadline("hoàn thành trước ngày 31/12/9999") is None
    assert parse_deadline("quý IV/9999") is None
    assert parse_deadline("hoàn thành trong năm 2025").due == datetime.date(2025, 12, 31)
