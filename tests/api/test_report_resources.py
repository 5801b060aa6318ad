"""The API's report requests, unit reports and roll-ups: scoped like their pages, unit
reports saved and submitted through the services, roll-ups queued through the roll-up
outbox and downloaded once built."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import api_key_create
from reports import services as report_services
from reports.models import (
    PeriodKind,
    ReportingPeriod,
    ReportRequest,
    RollupReport,
    RollupStatus,
    UnitReport,
    UnitReportStatus,
)
from tests.api.test_api import API, auth, error_shape
from tests.api.test_directive_resources import post, vietnamese
from tests.factories import AssignmentFactory, TaskFactory, UnitFactory, UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db) -> ReportingPeriod:
    row, _created = ReportingPeriod.objects.get_or_create(
        kind=PeriodKind.YEAR,
        start_on=datetime.date(2024, 1, 1),
        end_on=datetime.date(2024, 12, 31),
        directive=None,
        defaults={"label": "Năm 2024"},
    )
    return row


@pytest.fixture
def requests_sent(work, period):
    """Each province's board asks its Front for the year's report."""
    world, objects = work
    for key in ("a", "b"):
        side = world[key]
        objects[key]["request"] = ReportRequest.objects.create(
            title=f"Báo cáo năm {key}", requested_by_unit=side["board"],
            committee=side["committee"], period=period, deadline=datetime.date(2030, 12, 15),
        )  # fmt: skip
        objects[key]["request"].units.set([side["front"]])
    return world, objects


def test_report_requests_are_listed_and_tracked_within_scope(client, requests_sent):
    world, objects = requests_sent
    client.force_login(world["a"]["monitor"])
    listed = client.get(f"{API}/report-requests/").json()["results"]
    assert [row["id"] for row in listed] == [objects["a"]["request"].pk]
    detail = client.get(f"{API}/report-requests/{objects['a']['request'].pk}/")
    assert detail.status_code == 200 and detail["ETag"]
    body = detail.json()
    assert body["deadline"] == "2030-12-15"
    assert body["tracker"] == [
        {"unit": {"id": world["a"]["front"].pk, "name": world["a"]["front"].name},
         "status": "not_submitted", "submitted_on": None, "unit_report": None},
    ]  # fmt: skip
    error_shape(client.get(f"{API}/report-requests/{objects['b']['request'].pk}/"), 404)


def test_the_unit_saves_then_its_leader_submits_its_report(client, requests_sent):
    world, objects = requests_sent
    report_request = objects["a"]["request"]
    url = f"/report-requests/{report_request.pk}/unit-report/"
    staff = world["a"]["staff"]
    _key, raw = api_key_create(user=staff, name="Khóa")
    draft = client.get(f"{API}{url}", **auth(raw))
    assert draft.status_code == 200 and draft.json()["id"] is None
    response = post(client, url, {"results": "Tổ chức 15 hội nghị."}, **auth(raw))
    assert response.status_code == 200, response.content
    stored = UnitReport.objects.get(request=report_request, unit=world["a"]["front"])
    assert stored.results == "Tổ chức 15 hội nghị." and stored.updated_by == staff
    # Staff may not submit (the leader does): nothing changes.
    error_shape(post(client, url, {"limitations": "x", "submit": True}, **auth(raw)), 403)
    stored.refresh_from_db()
    assert stored.status == UnitReportStatus.DRAFT and stored.limitations == ""
    leader = UserFactory(unit=world["a"]["front"], role=Role.LEADER)
    client.force_login(leader)
    response = post(client, url, {"submit": True})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    stored.refresh_from_db()
    assert stored.submitted_by == leader and stored.submitted_at
    # Submitted: no more changes.
    body = error_shape(post(client, url, {"results": "Sửa lại."}), 400)
    assert vietnamese(body["errors"]["non_field_errors"][0])
    # The unit reports list and detail.
    client.force_login(world["a"]["monitor"])
    rows = client.get(f"{API}/unit-reports/").json()["results"]
    assert [row["id"] for row in rows] == [stored.pk]
    assert client.get(f"{API}/unit-reports/{stored.pk}/").json()["status"] == "submitted"


def test_unit_reports_are_scoped_and_checked(client, requests_sent):
    world, objects = requests_sent
    url = f"/report-requests/{objects['a']['request'].pk}/unit-report/"
    # The monitor's board was not asked: 403; another province's request: 404.
    client.force_login(world["a"]["monitor"])
    error_shape(post(client, url, {"results": "x"}), 403)
    client.force_login(world["a"]["staff"])
    error_shape(post(client, f"/report-requests/{objects['b']['request'].pk}/unit-report/",
                     {"results": "x"}), 404)  # fmt: skip
    body = error_shape(post(client, url, {"results": 5, "indicators": [{"assignment": "x"}]}), 400)
    assert "indicators.0.assignment" in body["errors"] or "indicators" in body["errors"]
    body = error_shape(
        post(client, url, {"indicators": [{"assignment": 999999, "value": "1"}]}), 400
    )
    assert vietnamese(body["errors"]["indicators"][0])
    assert not UnitReport.objects.exists()
    stored = UnitReport.objects.create(request=objects["b"]["request"], unit=world["b"]["front"])
    error_shape(client.get(f"{API}/unit-reports/{stored.pk}/"), 404)


# --- Roll-ups ------------------------------------------------------------------------------


def test_a_monitor_asks_for_a_rollup_and_its_build_is_queued(client, work, period):
    world, _objects = work
    monitor = world["a"]["monitor"]
    client.force_login(monitor)
    body = {"period": period.pk, "signs_as": "deputy", "signer_name": "Trần Thị B",
            "narrative": {"proposals": "Đề nghị hướng dẫn thêm."}}  # fmt: skip
    response = post(client, "/rollups/", body)
    assert response.status_code == 201, response.content
    report = RollupReport.objects.get(pk=response.json()["id"])
    assert report.committee == world["a"]["committee"] and report.requested_by == monitor
    assert report.status == RollupStatus.PENDING and report.queued_at is not None
    assert report.narrative_text["proposals"] == "Đề nghị hướng dẫn thêm."
    assert report.signer_name == "Trần Thị B"
    listed = client.get(f"{API}/rollups/?status=pending").json()["results"]
    assert [row["id"] for row in listed] == [report.pk]
    error_shape(client.get(f"{API}/rollups/?status=nonsense"), 400)
    # Not built yet: nothing to download (409), and a rebuild is refused (400).
    body = error_shape(client.get(f"{API}/rollups/{report.pk}/download/docx/"), 409)
    assert vietnamese(body["message"])
    error_shape(post(client, f"/rollups/{report.pk}/rebuild/", {}), 400)
    error_shape(client.get(f"{API}/rollups/{report.pk}/download/pdf/"), 404)


def test_rollup_refusals(client, work, period):
    world, _objects = work
    client.force_login(world["a"]["monitor"])
    body = error_shape(post(client, "/rollups/", {"period": 999999}), 400)
    assert "period" in body["errors"] and vietnamese(body["errors"]["period"][0])
    error_shape(post(client, "/rollups/", {"period": period.pk, "issued_on": "31/12/2024"}), 400)
    client.force_login(world["a"]["staff"])
    error_shape(post(client, "/rollups/", {"period": period.pk}), 403)
    assert not RollupReport.objects.exists()
    other = report_services.rollup_create(
        by=world["b"]["monitor"], committee=world["b"]["committee"], period=period, build=False
    )
    client.force_login(world["a"]["monitor"])
    error_shape(client.get(f"{API}/rollups/{other.pk}/"), 404)
    error_shape(post(client, f"/rollups/{other.pk}/rebuild/", {}), 404)
    error_shape(client.get(f"{API}/rollups/{other.pk}/download/xlsx/"), 404)
    client.force_login(world["b"]["viewer"])
    error_shape(post(client, f"/rollups/{other.pk}/rebuild/", {}), 403)


def test_a_built_rollup_downloads_as_docx_and_xlsx_and_can_be_rebuilt(client, work, period):
    world, _objects = work
    report = report_services.rollup_create(
        by=world["a"]["monitor"], committee=world["a"]["committee"], period=period, build=False
    )
    assert report_services.rollup_build(report_id=report.pk)
    client.force_login(world["a"]["viewer"])
    detail = client.get(f"{API}/rollups/{report.pk}/").json()
    assert detail["status"] == "ready" and detail["figures"]
    for fmt in ("docx", "xlsx"):
        response = client.get(f"{API}/rollups/{report.pk}/download/{fmt}/")
        assert response.status_code == 200, response.content[:300]
        assert f".{fmt}" in response["Content-Disposition"]
        assert zipfile.is_zipfile(io.BytesIO(response.content))
    # A viewer may read but not rebuild; the monitor rebuilds (queued again).
    error_shape(post(client, f"/rollups/{report.pk}/rebuild/", {}), 403)
    client.force_login(world["a"]["monitor"])
    response = post(client, f"/rollups/{report.pk}/rebuild/", {})
    assert response.status_code == 202 and response.json()["status"] == "pending"


def test_lists_take_the_same_queries_whatever_their_length(client, requests_sent):
    world, objects = requests_sent
    client.force_login(world["a"]["monitor"])
    report_request = objects["a"]["request"]

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}{url}").status_code == 200
        return len(captured)

    UnitReport.objects.create(request=report_request, unit=world["a"]["front"])
    directive = objects["a"]["directive"]
    urls = ["/unit-reports/", "/report-requests/", f"/directives/{directive.pk}/tasks/"]
    before = [queries(url) for url in urls]
    for index in range(3):
        unit = UnitFactory(name=f"Đơn vị {index}", parent=world["a"]["committee"])
        report_request.units.add(unit)
        UnitReport.objects.create(request=report_request, unit=unit)
        ReportRequest.objects.create(
            title=f"Báo cáo {index}", requested_by_unit=world["a"]["board"],
            committee=world["a"]["committee"], period=report_request.period,
            deadline=datetime.date(2030, 6, 30),
        )  # fmt: skip
        AssignmentFactory(task=TaskFactory(directive=directive), unit=unit)
    assert [queries(url) for url in urls] == before
