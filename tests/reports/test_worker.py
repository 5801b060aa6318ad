"""A roll-up asked for on the page is built by a real Celery worker."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from config.celery import app
from reports.models import RollupReport, RollupStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_rollup_built_by_a_worker_with_progress_shown(world, client):
    client.force_login(world["a"]["monitor"])
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        response = client.post(
            reverse("reports:rollup_create"),
            {"period": world["period"].pk, "issued_on": "05/02/2025"},
        )
        assert response.status_code == 302
        report = RollupReport.objects.get()
        progress_url = reverse("reports:rollup_detail", args=[report.pk]) + "?part=progress"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status in (RollupStatus.READY, RollupStatus.FAILED):
                break
            time.sleep(0.2)
    assert report.status == RollupStatus.READY, report.error
    assert report.figures["counts"]["total"] == 8
    # Once built, the polling fragment tells htmx to reload the page with the figures.
    response = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    page = client.get(reverse("reports:rollup_detail", args=[report.pk])).content.decode()
    assert 'data-testid="download-docx"' in page
