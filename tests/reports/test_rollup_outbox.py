"""The roll-up build's outbox: recorded with the report, handed over after commit, never a
5xx or a wait when the broker is down or hung, sent again by the periodic job, marked
failed when it never starts, and "Build again" takes over a stuck one."""

from __future__ import annotations

import datetime
import socket
import threading
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from config.embedded import free_port
from reports import rollup_outbox, services
from reports.models import RollupReport, RollupStatus
from reports.selectors import ROLLUP_BUILD_TIME_LIMIT, rollup_is_stuck


@pytest.fixture
def hung_broker(settings):
    """A TCP listener that accepts connections and never answers, as a frozen Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    yield accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def create(client, world):
    client.force_login(world["a"]["monitor"])
    started = time.monotonic()
    response = client.post(
        reverse("reports:rollup_create"),
        {"period": world["period"].pk, "issued_on": "05/02/2025", "recipients": "Lưu VT"},
    )
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_rollup_asked_for_while_redis_is_down_is_sent_later(world, client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens
    response, elapsed = create(client, world)
    assert response.status_code == 302 and elapsed < 2
    report = RollupReport.objects.get()
    assert report.status == RollupStatus.PENDING and report.queued_at is not None
    assert report.handed_at is None and report.hand_count == 0
    # The resend job while the broker is still down: nothing handed, nothing lost.
    assert rollup_outbox.rollups_resend() == {"failed": 0, "handed": 0}
    # Redis is back: the periodic job hands it over once.
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    from config.celery import broker_skip_reset

    broker_skip_reset()
    assert rollup_outbox.rollups_resend() == {"failed": 0, "handed": 1}
    report.refresh_from_db()
    assert report.handed_at is not None and report.hand_count == 1
    assert rollup_outbox.rollups_resend() == {"failed": 0, "handed": 0}  # not yet due again
    assert services.rollup_build(report_id=report.pk)
    assert services.rollup_build(report_id=report.pk) is False  # a second delivery


@pytest.mark.django_db(transaction=True)
def test_rollup_asked_for_while_redis_hangs_answers_quickly(world, client, hung_broker):
    response, elapsed = create(client, world)
    assert response.status_code == 302
    assert elapsed < 2, f"the request waited {elapsed:.1f}s on a hung broker"
    assert hung_broker, "the request did reach the hung broker"
    report = RollupReport.objects.get()
    assert report.status == RollupStatus.PENDING and report.handed_at is None
    # The page shows it waiting, and the rebuild page answers too.
    assert client.get(reverse("reports:rollup_detail", args=[report.pk])).status_code == 200
    started = time.monotonic()
    response = client.post(reverse("reports:rollup_rebuild", args=[report.pk]))
    assert response.status_code == 302 and time.monotonic() - started < 2


@pytest.mark.django_db
def test_a_lost_job_is_handed_again_then_marked_failed(world, settings):
    report = services.rollup_create(
        by=world["a"]["monitor"], committee=world["a"]["committee"], period=world["period"]
    )
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.ROLLUP_RESEND_AFTER_SECONDS + 5)
    # Handed over, then Redis restarted without its data: nobody will ever start it.
    RollupReport.objects.filter(pk=report.pk).update(handed_at=long_ago, hand_count=1)
    assert rollup_is_stuck(report)
    assert rollup_outbox.rollups_resend()["handed"] == 1
    report.refresh_from_db()
    assert report.hand_count == 2 and not rollup_is_stuck(report)
    RollupReport.objects.filter(pk=report.pk).update(
        handed_at=long_ago, hand_count=settings.ROLLUP_MAX_HANDS
    )
    assert rollup_outbox.rollups_resend() == {"failed": 1, "handed": 0}
    report.refresh_from_db()
    assert report.status == RollupStatus.FAILED and report.error


@pytest.mark.django_db
def test_a_build_whose_worker_died_is_marked_failed(world):
    report = services.rollup_create(
        by=world["a"]["monitor"],
        committee=world["a"]["committee"],
        period=world["period"],
        build=False,
    )
    started = timezone.now() - datetime.timedelta(seconds=ROLLUP_BUILD_TIME_LIMIT + 120)
    RollupReport.objects.filter(pk=report.pk).update(
        status=RollupStatus.BUILDING, build_started_at=started
    )
    assert rollup_outbox.rollups_resend()["failed"] == 1
    assert RollupReport.objects.get(pk=report.pk).status == RollupStatus.FAILED


@pytest.mark.django_db
def test_build_again_takes_over_a_stuck_build_but_not_a_running_one(
    world, client, settings, django_capture_on_commit_callbacks
):
    report = services.rollup_create(
        by=world["a"]["monitor"], committee=world["a"]["committee"], period=world["period"]
    )
    client.force_login(world["a"]["monitor"])
    page = reverse("reports:rollup_detail", args=[report.pk])
    assert "reports/rollups/" in page
    html = client.get(page).content.decode()
    assert 'data-testid="rollup-stuck"' not in html
    assert reverse("reports:rollup_rebuild", args=[report.pk]) not in html
    queued_at = RollupReport.objects.get(pk=report.pk).queued_at
    response = client.post(reverse("reports:rollup_rebuild", args=[report.pk]), follow=True)
    assert response.status_code == 200
    assert RollupReport.objects.get(pk=report.pk).queued_at == queued_at  # refused: running
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.ROLLUP_RESEND_AFTER_SECONDS + 5)
    RollupReport.objects.filter(pk=report.pk).update(queued_at=long_ago)
    html = client.get(page).content.decode()
    assert 'data-testid="rollup-stuck"' in html
    assert reverse("reports:rollup_rebuild", args=[report.pk]) in html
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("reports:rollup_rebuild", args=[report.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == RollupStatus.PENDING and report.queued_at > long_ago
