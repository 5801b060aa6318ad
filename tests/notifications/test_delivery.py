"""Sending: a real SMTP server on loopback, refusals and retries, the admin's resend, the
enqueue API, after-commit queueing, a broker that is down, and a real Celery worker."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from config.embedded import free_port
from notifications import services
from notifications.models import Channel, Notification, NotificationPreference, NotificationStatus
from notifications.services import notification_enqueue, notifications_flush, retry_delay
from notifications.tasks import daily_digest
from tests.factories import UserFactory
from tests.notifications.conftest import listed
from units.models import Role

SUBJECT = "Báo cáo tổng hợp 6 tháng đầu năm 2026 đã sẵn sàng"


def enqueue(user, key: str = "rollup:1:ready", **extra) -> list[Notification]:
    return notification_enqueue(
        recipient=user,
        kind="report",
        dedup_key=key,
        subject=SUBJECT,
        template="email/base",
        context={"link": "http://localhost:8000/reports/1/", "reason": "Vì anh/chị là lãnh đạo."},
        **extra,
    )


def email_row(user) -> Notification:
    return Notification.objects.get(recipient=user, channel=Channel.EMAIL)


def test_enqueue_writes_an_email_and_an_inbox_row_once(db):
    user = UserFactory(role=Role.LEADER)
    first = enqueue(user, about=user.unit)
    second = enqueue(user, about=user.unit)
    assert [n.pk for n in first] == [n.pk for n in second]
    assert {n.channel: n.status for n in first} == {
        Channel.EMAIL: NotificationStatus.PENDING,
        Channel.INAPP: NotificationStatus.SENT,
    }
    assert Notification.objects.count() == 2
    assert first[0].about == user.unit
    assert "Vì anh/chị là lãnh đạo." in first[0].body_text
    assert "http://localhost:8000/notifications/preferences/" in first[0].body_html


def test_enqueue_respects_in_app_only(db):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, in_app_only=True)
    assert [n.channel for n in enqueue(user)] == [Channel.INAPP]


def test_enqueue_hands_the_email_to_the_worker_only_after_commit(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    handed: list[list[int]] = []
    monkeypatch.setattr(services, "dispatch", lambda ids: handed.append(list(ids)))
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = enqueue(user)
    assert handed == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert handed == [[email_row(user).pk]] == [[r.pk for r in rows if r.channel == "email"]]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_work_queues_nothing(monkeypatch):
    handed: list[list[int]] = []
    monkeypatch.setattr(services, "dispatch", lambda ids: handed.append(list(ids)))
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(user)
        raise RuntimeError("the caller's transaction fails")
    assert not Notification.objects.exists()
    assert handed == []


def test_pending_email_goes_out_over_smtp_once(smtp, db):
    user = UserFactory(email="huong@mttq.example")
    enqueue(user)
    assert notifications_flush() == (1, False)
    assert notifications_flush() == (0, False)
    [message] = smtp.to("huong@mttq.example")
    assert message["Subject"].strip() == SUBJECT  # Python folds long encoded headers
    assert message["X-Notification-Key"] == "rollup:1:ready"
    assert "Vì anh/chị là lãnh đạo." in message.get_body(("plain",)).get_content()
    assert "<html" in message.get_body(("html",)).get_content()
    row = email_row(user)
    assert row.status == NotificationStatus.SENT and row.attempts == 1 and row.sent_at


def test_smtp_refusing_then_recovering_is_retried_with_backoff(smtp, db, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    user = UserFactory(email="huong@mttq.example")
    smtp.refuse = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        enqueue(user)
        assert notifications_flush() == (0, False)
        row = email_row(user)
        assert row.status == NotificationStatus.PENDING and row.attempts == 1
        assert "451" in row.last_error
        assert row.next_attempt_at == start + datetime.timedelta(seconds=60)
        assert notifications_flush() == (0, False)  # not due yet: nothing tried
        assert smtp.refused == 1
        clock.shift(61)
        notifications_flush()
        assert email_row(user).next_attempt_at > timezone.now() + datetime.timedelta(seconds=110)
        clock.shift(121)
        assert notifications_flush() == (1, False)
    row = email_row(user)
    assert row.status == NotificationStatus.SENT and row.attempts == 3 and not row.last_error
    assert smtp.refused == 2 and len(smtp.to("huong@mttq.example")) == 1


def test_backoff_stays_below_the_brokers_visibility_timeout(settings):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert [retry_delay(n) for n in (1, 2, 3)] == [60, 120, 240]
    assert max(retry_delay(n) for n in range(1, 40)) < timeout


def test_failed_after_max_attempts_then_resent_from_the_admin(smtp, db, settings, client):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 1
    user = UserFactory(email="huong@mttq.example")
    smtp.refuse = 100
    enqueue(user)
    notifications_flush()
    Notification.objects.update(next_attempt_at=timezone.now())
    notifications_flush()
    row = email_row(user)
    assert row.status == NotificationStatus.FAILED and row.attempts == 2
    Notification.objects.update(next_attempt_at=timezone.now())
    assert notifications_flush() == (0, False)  # failed rows are left alone

    admin = UserFactory(role=Role.ADMIN, unit=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/notifications/notification/?status__exact=failed")
    assert SUBJECT in listing.content.decode()
    response = client.post(
        "/admin/notifications/notification/",
        {"action": "resend", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING and row.attempts == 0
    smtp.refuse = 0
    assert notifications_flush() == (1, False)
    assert len(smtp.to("huong@mttq.example")) == 1


def test_a_worker_that_died_mid_send_is_taken_over_later(smtp, db):
    user = UserFactory(email="huong@mttq.example")
    enqueue(user)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Notification.objects.filter(channel="email").update(status="sending", claimed_at=long_ago)
    assert notifications_flush() == (1, False)
    assert len(smtp.messages) == 1


def test_two_workers_claiming_the_same_row_send_it_once(smtp, db):
    user = UserFactory(email="huong@mttq.example")
    enqueue(user)
    pk = email_row(user).pk
    first = services.notification_deliver(notification_id=pk)
    second = services.notification_deliver(notification_id=pk)
    assert (first.sent, second.sent) == (True, False)
    assert len(smtp.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_web_app_does_not_wait_for_a_dead_broker_and_the_mail_goes_out_later(
    smtp, settings, client
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens
    user = UserFactory(email="huong@mttq.example")
    enqueue(user)
    row = email_row(user)
    Notification.objects.filter(pk=row.pk).update(status="failed")
    admin = UserFactory(role=Role.ADMIN, unit=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    started = time.monotonic()
    response = client.post(
        "/admin/notifications/notification/", {"action": "resend", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    assert time.monotonic() - started < 3
    assert email_row(user).status == NotificationStatus.PENDING
    assert smtp.messages == []
    # Redis is back: the beat job's flush sends what waited.
    assert notifications_flush() == (1, False)
    assert len(smtp.to("huong@mttq.example")) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_real_worker_retries_a_refused_send_then_delivers(smtp, settings, celery_worker):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 1
    user = UserFactory(email="huong@mttq.example")
    smtp.refuse = 1
    enqueue(user)  # outside a transaction: handed to the worker at once
    smtp.wait_for(1)
    deadline = time.monotonic() + 10
    while email_row(user).status != NotificationStatus.SENT:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert smtp.refused == 1 and email_row(user).attempts == 2
    time.sleep(1.5)
    assert len(smtp.messages) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_daily_digest_and_a_second_run_sends_nothing(
    province, smtp, settings, celery_worker
):
    settings.MOVE_DEADLINES_TO_WORKING_DAY = False
    today = timezone.localdate()
    late = province["assign"](today - datetime.timedelta(days=1))
    daily_digest.delay()
    smtp.wait_for(2)  # the Front's staff member and leader
    [mail] = smtp.to(province["staff"].email)
    assert listed(mail.get_body(("html",)).get_content()) == {late.pk: ("overdue", -1)}
    daily_digest.delay()
    time.sleep(3)
    assert len(smtp.messages) == 2
    assert not Notification.objects.exclude(status=NotificationStatus.SENT).exists()
