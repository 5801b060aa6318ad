"""The audit trail of reporting: every saved draft of a unit report and its submission,
and who asked for a roll-up and had it built again, each with who and when."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from reports import services
from reports.models import RollupReport, RollupStatus, UnitReport
from tests.factories import UserFactory
from tests.reports.test_rollups import asking_commune_front
from units.models import Role

pytestmark = pytest.mark.django_db
D = datetime.date


def events(model: str, pk: int) -> list[tuple]:
    """(label, user id from the recorded context, status) of each event, oldest first."""
    event_model = apps.get_model("reports", f"{model}Event")
    rows = event_model.objects.filter(pgh_obj_id=pk).select_related("pgh_context")
    return [
        (e.pgh_label, e.pgh_context.metadata.get("user") if e.pgh_context else None, e.status)
        for e in rows.order_by("pgh_id")
    ]


def test_unit_report_drafts_and_submission_are_recorded_with_who(client, world):
    a = world["a"]
    request = asking_commune_front(world)
    staff = UserFactory(unit=a["commune_front"], role=Role.STAFF)
    leader = UserFactory(unit=a["commune_front"], role=Role.LEADER)
    url = reverse("reports:unit_report", args=[request.pk])
    client.force_login(staff)
    assert client.post(url, {"results": "Bản nháp thứ nhất"}).status_code == 302
    assert client.post(url, {"results": "Bản nháp thứ hai"}).status_code == 302
    client.force_login(leader)
    assert client.post(url, {"results": "Bản chính thức", "submit": "1"}).status_code == 302

    report = UnitReport.objects.get(request=request)
    recorded = events("UnitReport", report.pk)
    # Stored pre-filled on the first save, then that save's text; the second draft; the
    # leader's text; the submission.
    assert [(label, user) for label, user, _status in recorded] == [
        ("insert", staff.pk),
        ("update", staff.pk),
        ("update", staff.pk),
        ("update", leader.pk),
        ("update", leader.pk),
    ]
    assert [status for *_rest, status in recorded][-2:] == ["draft", "submitted"]
    texts = apps.get_model("reports", "UnitReportEvent").objects.filter(pgh_obj_id=report.pk)
    assert {"Bản nháp thứ nhất", "Bản nháp thứ hai", "Bản chính thức"} <= set(
        texts.values_list("results", flat=True)
    )
    # The indicator values of each draft are kept too.
    indicator = report.indicators.get()
    assert (
        apps.get_model("reports", "UnitReportIndicatorEvent")
        .objects.filter(pgh_obj_id=indicator.pk, pgh_context__metadata__user=staff.pk)
        .exists()
    )


# Each request and the worker in their own transaction, as in production: a request's
# context ends with its transaction.
@pytest.mark.django_db(transaction=True)
def test_rollup_asked_for_built_and_built_again_is_recorded_with_who(
    client, world, django_capture_on_commit_callbacks
):
    monitor = world["a"]["monitor"]
    client.force_login(monitor)
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("reports:rollup_create"),
            {"period": world["period"].pk, "issued_on": "05/02/2025", "recipients": "Lưu VT"},
        )
    assert response.status_code == 302
    rollup = RollupReport.objects.get()
    assert services.rollup_build(report_id=rollup.pk)
    with django_capture_on_commit_callbacks():
        client.post(reverse("reports:rollup_rebuild", args=[rollup.pk]))

    recorded = events("RollupReport", rollup.pk)
    # Asked for by the monitor; built by the worker (no person) and the leaders told;
    # asked again by the monitor. The build's running progress is not an event of its own.
    assert recorded == [
        ("insert", monitor.pk, RollupStatus.PENDING),
        ("update", None, RollupStatus.BUILDING),
        ("update", None, RollupStatus.READY),
        ("update", None, RollupStatus.READY),
        ("update", monitor.pk, RollupStatus.PENDING),
    ]
    delivered = apps.get_model("reports", "RollupReportEvent").objects.filter(
        pgh_obj_id=rollup.pk, delivered_at__isnull=False
    )
    assert delivered.exists()
    inserted = apps.get_model("reports", "RollupReportEvent").objects.get(
        pgh_obj_id=rollup.pk, pgh_label="insert"
    )
    assert (inserted.code, inserted.requested_by_id) == (rollup.code, monitor.pk)
