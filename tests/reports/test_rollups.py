"""Roll-up reports: numbering, stored figures, narratives, scheduled builds, scoping."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse

from reports import models, services
from reports.models import ReportRequest, RollupReport, RollupStatus, UnitReportStatus
from tests.factories import UserFactory
from units.models import Role

D = datetime.date


def build(world, **kw) -> RollupReport:
    report = services.rollup_create(
        by=world["a"]["monitor"],
        committee=world["a"]["committee"],
        period=world["period"],
        issued_on=D(2025, 2, 5),
        build=False,
        **kw,
    )
    assert services.rollup_build(report_id=report.pk)
    report.refresh_from_db()
    return report


def submitted_unit_report(world, unit_key="front", **texts):
    a = world["a"]
    request = services.report_request_create(
        by=a["monitor"],
        committee=a["committee"],
        period=world["period"],
        title="Báo cáo 6 tháng đầu năm 2024",
        deadline=D(2024, 7, 10),
        units=[a["front"], a["commune"]],
    )
    leader = UserFactory(unit=a[unit_key], role=Role.LEADER)
    report = services.unit_report_open(request=request, unit=a[unit_key], by=leader)
    services.unit_report_save(
        report=report,
        by=leader,
        texts={
            "results": "Tổ chức 12 hội nghị.",
            "proposals": "Đề nghị bổ sung kinh phí.",
            **texts,
        },
        values={},
    )
    services.unit_report_submit(report=report, by=leader)
    return request


@pytest.mark.django_db
def test_rollup_is_numbered_per_issuer_type_and_term(world):
    first = build(world)
    second = build(world)
    other_term = build(world, term="XVIII")
    assert (first.code, second.code) == ("1-BC/BDVTU", "2-BC/BDVTU")
    assert first.term == "XVII"  # the committee's latest term, from its directives
    assert other_term.code == "1-BC/BDVTU"
    b = services.rollup_create(
        by=world["b"]["monitor"], committee=world["b"]["committee"], period=world["period"],
        build=False,
    )  # fmt: skip
    assert b.number == 1


@pytest.mark.django_db(transaction=True)
def test_two_reports_numbered_at_once_get_different_numbers(two_provinces):
    issuer = two_provinces["a"]["board"]
    barrier = threading.Barrier(2)
    numbers: list[int] = []

    def allocate():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(services.report_number_allocate(issuer=issuer, term="XVII"))
                # Hold the lock a moment so the other thread really waits on it.
                threading.Event().wait(0.2)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == [1, 2]


@pytest.mark.django_db
def test_rollup_stores_the_figures_of_the_aggregation_layer(world):
    report = build(world)
    assert report.status == RollupStatus.READY and report.progress == 100
    f = report.figures
    assert f["as_of"] == "2024-06-30"
    assert f["counts"]["total"] == 8 and f["on_time_rate"] == 33.3 and f["overdue_count"] == 1
    assert f["change"]["done"]["delta"] == 3
    assert [r["unit"] for r in f["ranking"]][0] == "Ủy ban MTTQ Việt Nam tỉnh Hải Dương"
    assert len(f["trend"]) == 12
    assert report.header_parent == "TỈNH ỦY HẢI DƯƠNG" and report.header_issuer == "BAN DÂN VẬN"
    assert report.place == "Hải Dương"


@pytest.mark.django_db
def test_stored_rollup_reads_the_same_after_the_data_changes(world, client):
    report = build(world)
    world["a4"].completed_on = D(2024, 6, 1)
    world["a4"].save()
    client.force_login(world["a"]["viewer"])
    response = client.get(reverse("reports:rollup_detail", args=[report.pk]))
    assert response.context["figures"]["overdue_count"] == 1


@pytest.mark.django_db
def test_narratives_gathered_under_the_five_headings(world):
    submitted_unit_report(world, causes="Thiếu cán bộ chuyên trách.")
    report = build(world)
    assert report.narratives["results"] == [
        {
            "unit": "Ủy ban MTTQ Việt Nam tỉnh Hải Dương",
            "units": ["Ủy ban MTTQ Việt Nam tỉnh Hải Dương"],
            "text": "Tổ chức 12 hội nghị.",
        }
    ]
    assert report.narratives["causes"][0]["text"] == "Thiếu cán bộ chuyên trách."
    assert report.narratives["limitations"] == []
    assert set(report.narratives) == {"results", "limitations", "causes", "next_steps", "proposals"}


@pytest.mark.django_db
def test_only_monitors_create_rollups(world):
    with pytest.raises(PermissionDenied):
        services.rollup_create(
            by=world["a"]["viewer"], committee=world["a"]["committee"], period=world["period"]
        )
    with pytest.raises(PermissionDenied):
        services.rollup_create(
            by=world["a"]["monitor"], committee=world["b"]["committee"], period=world["period"]
        )
    assert not RollupReport.objects.exists()


@pytest.mark.django_db
def test_build_twice_does_nothing_the_second_time(world):
    report = build(world)
    assert services.rollup_build(report_id=report.pk) is False


@pytest.mark.django_db
def test_scheduled_job_builds_for_periods_that_ended_yesterday(
    world, django_capture_on_commit_callbacks
):
    submitted_unit_report(world)
    with django_capture_on_commit_callbacks() as callbacks:
        created = services.rollups_for_ended_periods(today=D(2024, 7, 1))
    assert [r.committee for r in created] == [world["a"]["committee"]]
    assert len(callbacks) == 1
    assert services.rollups_for_ended_periods(today=D(2024, 7, 1)) == []


@pytest.mark.django_db
def test_other_committees_rollups_are_404(world, client):
    report = build(world)
    client.force_login(world["b"]["viewer"])
    for name, args in [
        ("rollup_detail", [report.pk]),
        ("rollup_download", [report.pk, "docx"]),
        ("rollup_download", [report.pk, "xlsx"]),
    ]:
        assert client.get(reverse(f"reports:{name}", args=args)).status_code == 404
    assert client.get(reverse("reports:rollup_detail", args=[report.pk]) + "?part=progress",
                      HTTP_HX_REQUEST="true").status_code == 404  # fmt: skip
    assert report.code not in client.get(reverse("reports:rollup_list")).content.decode()


@pytest.mark.django_db
def test_monitor_creates_a_rollup_from_the_page(world, client, django_capture_on_commit_callbacks):
    client.force_login(world["a"]["monitor"])
    assert client.get(reverse("reports:rollup_create")).status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("reports:rollup_create"),
            {"period": world["period"].pk, "issued_on": "05/02/2025", "recipients": "Lưu VT"},
        )
    report = RollupReport.objects.get()
    assert response.status_code == 302 and report.issued_on == D(2025, 2, 5)
    assert report.recipients == ["Lưu VT"] and len(callbacks) == 1
    page = client.get(reverse("reports:rollup_detail", args=[report.pk]))
    assert 'data-testid="rollup-progress"' in page.content.decode()
    assert 'hx-trigger="every 1s"' in page.content.decode()


@pytest.mark.django_db
def test_bad_rollup_form_is_400_and_nothing_created(world, client):
    client.force_login(world["a"]["monitor"])
    response = client.post(
        reverse("reports:rollup_create"), {"period": "", "issued_on": "31/02/2025"}
    )
    assert response.status_code == 400 and not RollupReport.objects.exists()
    client.force_login(world["a"]["viewer"])
    assert (
        client.post(reverse("reports:rollup_create"), {"period": world["period"].pk}).status_code
        == 403
    )


@pytest.mark.django_db
def test_rollup_list_queries_do_not_grow(world, client, django_assert_max_num_queries):
    client.force_login(world["a"]["viewer"])
    build(world)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("reports:rollup_list"))
    for _ in range(15):
        services.rollup_create(
            by=world["a"]["monitor"], committee=world["a"]["committee"], period=world["period"],
            build=False,
        )  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("reports:rollup_list"))


@pytest.mark.django_db
def test_leaders_are_told_through_the_outbox(world):
    pytest.importorskip("notifications.services")
    from notifications.models import Notification

    world["a"]["viewer"].email = "thuongtruc@tinhuy.example"
    world["a"]["viewer"].save()
    report = build(world)
    sent = Notification.objects.filter(recipient=world["a"]["viewer"])
    assert sent.exists()
    assert report.code in sent.first().subject
    assert not Notification.objects.filter(recipient=world["b"]["viewer"]).exists()
    assert RollupReport.objects.get(pk=report.pk).delivered_at is not None


@pytest.mark.django_db
def test_request_tracker_and_unit_report_flow(world, client):
    from reports.selectors import request_tracker

    a = world["a"]
    request = submitted_unit_report(world)
    rows = {r["name"]: r["tracker"] for r in request_tracker(request, D(2024, 7, 5))}
    # Submitted today (after the 10/07/2024 deadline, since the test runs later): late.
    assert rows == {"Ủy ban MTTQ Việt Nam tỉnh Hải Dương": "late", "Đảng ủy xã A": "not_submitted"}
    rows = {r["name"]: r["tracker"] for r in request_tracker(request, D(2024, 7, 11))}
    assert rows["Đảng ủy xã A"] == "overdue"
    client.force_login(a["monitor"])
    html = client.get(reverse("reports:request_detail", args=[request.pk])).content.decode()
    assert 'data-tracker="late"' in html and 'data-tracker="overdue"' in html
    client.force_login(world["b"]["viewer"])
    assert client.get(reverse("reports:request_detail", args=[request.pk])).status_code == 404


def asking_commune_front(world) -> ReportRequest:
    a = world["a"]
    request = ReportRequest.objects.create(
        title="Báo cáo", committee=a["committee"], requested_by_unit=a["board"],
        period=world["period"], deadline=D(2030, 1, 1),
    )  # fmt: skip
    request.units.set([a["commune_front"]])
    return request


@pytest.mark.django_db
def test_unit_report_prefilled_from_accepted_progress_and_submitted_by_leader(world, client):
    a = world["a"]
    request = asking_commune_front(world)
    staff = UserFactory(unit=a["commune_front"], role=Role.STAFF)
    client.force_login(staff)
    page = client.get(reverse("reports:unit_report", args=[request.pk]))
    assert page.status_code == 200
    report = page.context["report"]
    # Only the accepted report of the period (10 on 01/02), not the one of 15/07.
    assert "Đã tổ chức hội nghị" in report.results
    [indicator] = page.context["form"].indicators
    assert indicator.value == 10
    field = f"indicator_{indicator.assignment_id}"
    assert page.context["form"].fields[field].initial == 10
    # Viewing the pre-filled report stores nothing.
    assert not models.UnitReport.objects.exists()
    assert not models.UnitReportIndicator.objects.exists()
    # Staff cannot submit: 403 semantics shown as an error, nothing submitted or saved.
    response = client.post(
        reverse("reports:unit_report", args=[request.pk]), {"results": "Sửa", "submit": "1"}
    )
    assert response.status_code == 403
    assert not models.UnitReport.objects.exists()
    # Staff save the draft: the first save stores it, pre-filled values included.
    response = client.post(
        reverse("reports:unit_report", args=[request.pk]),
        {"results": report.results, field: "10"},
    )
    assert response.status_code == 302
    report = models.UnitReport.objects.get(request=request, unit=a["commune_front"])
    assert report.status == UnitReportStatus.DRAFT and report.results != "Sửa"
    assert "Đã tổ chức hội nghị" in report.results
    assert [i.value for i in report.indicators.all()] == [10]
    leader = UserFactory(unit=a["commune_front"], role=Role.LEADER)
    client.force_login(leader)
    response = client.post(
        reverse("reports:unit_report", args=[request.pk]),
        {"results": "Đã hoàn thành", field: "12", "submit": "1"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == UnitReportStatus.SUBMITTED and report.results == "Đã hoàn thành"
    assert report.indicators.get().value == 12
    # After submission nothing changes any more.
    response = client.post(reverse("reports:unit_report", args=[request.pk]), {"results": "X"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.results == "Đã hoàn thành"


@pytest.mark.django_db
def test_viewing_a_unit_report_writes_nothing(world, client):
    """A GET changes nothing: not for staff who may write the report, not for a leader
    viewer who may not (403), not for a unit the request does not concern (404)."""
    a = world["a"]
    request = asking_commune_front(world)
    url = reverse("reports:unit_report", args=[request.pk])
    client.force_login(UserFactory(unit=a["commune_front"], role=Role.STAFF))
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(unit=a["commune_front"], role=Role.VIEWER))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(unit=a["front"], role=Role.STAFF))
    assert client.get(url).status_code == 404  # not asked, and not their committee
    assert not models.UnitReport.objects.exists()
    assert not models.UnitReportIndicator.objects.exists()


@pytest.mark.django_db
def test_monitor_sends_a_report_request_and_bad_input_changes_nothing(world, client):
    a = world["a"]
    client.force_login(a["monitor"])
    form = {
        "title": "Báo cáo sơ kết 6 tháng",
        "period": world["period"].pk,
        "units": [a["front"].pk, a["commune"].pk],
        "deadline": "10/07/2024",
        "frequency": "once",
        "delivery": "Qua hệ thống",
    }
    assert (
        client.post(
            reverse("reports:request_create"), {**form, "deadline": "31/02/2024"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            reverse("reports:request_create"), {**form, "units": [world["b"]["front"].pk]}
        ).status_code
        == 400
    )
    assert not ReportRequest.objects.exists()
    response = client.post(reverse("reports:request_create"), form)
    request = ReportRequest.objects.get()
    assert response.status_code == 302 and request.deadline == D(2024, 7, 10)
    assert request.requested_by_unit == a["board"] and request.committee == a["committee"]
    client.force_login(a["viewer"])
    assert client.post(reverse("reports:request_create"), form).status_code == 403
