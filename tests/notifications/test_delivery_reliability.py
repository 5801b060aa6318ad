"""Delivery under faults, in small: a Message-ID that stays the same over retries, the
in-flight window, subjects cut at a word, the unsubscribe header, the sweep's count of
what it inserted, and the deployment check on SITE_URL."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connections, transaction
from django.utils import timezone

from notifications import services
from notifications.checks import site_url_is_public
from notifications.models import Channel, Notification
from notifications.reminders import reminders_sweep
from notifications.services import (
    SUBJECT_LIMIT,
    message_id,
    notification_enqueue,
    notifications_flush,
    subject_shorten,
)
from tests.factories import UnitFactory, UserFactory
from units.models import Role, UnitKind

D = datetime.date
MONDAY = D(2026, 3, 2)


def enqueue(user, key="rollup:7:ready", subject="Báo cáo đã sẵn sàng"):
    return notification_enqueue(
        recipient=user,
        kind="report",
        dedup_key=key,
        subject=subject,
        template="email/base",
        context={"link": "http://localhost:8000/reports/7/", "reason": "Vì anh/chị là lãnh đạo."},
    )


def test_message_id_is_the_same_on_every_attempt_and_differs_per_message(smtp, db, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 1
    user = UserFactory(email="huong@mttq.example")
    enqueue(user)
    enqueue(user, key="rollup:8:ready")
    rows = list(Notification.objects.filter(channel=Channel.EMAIL).order_by("pk"))
    smtp.refuse = 1  # the first attempt of the first row is refused, then retried
    first = services.notification_deliver(notification_id=rows[0].pk)
    assert not first.sent and first.retry_in == 1
    Notification.objects.filter(pk=rows[0].pk).update(next_attempt_at=timezone.now())
    assert services.notification_deliver(notification_id=rows[0].pk).sent
    assert services.notification_deliver(notification_id=rows[1].pk).sent
    ids = [m["Message-ID"] for m in smtp.messages]
    assert ids == [message_id(rows[0]), message_id(rows[1])]
    assert ids[0] != ids[1] and ids[0].endswith("@localhost>")
    unsubscribe = smtp.messages[0]["List-Unsubscribe"]
    assert unsubscribe == f"<{settings.SITE_URL}/notifications/preferences/>"


def test_in_flight_window_is_short_and_a_claim_past_it_is_sent_again(smtp, db, settings):
    assert services.STALE_CLAIM == datetime.timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    assert services.STALE_CLAIM <= datetime.timedelta(minutes=5)
    from notifications.tasks import send_notification

    assert send_notification.time_limit < settings.NOTIFICATION_CLAIM_SECONDS
    user = UserFactory(email="huong@mttq.example")
    enqueue(user)
    row = Notification.objects.get(channel=Channel.EMAIL)
    # A worker claimed it a moment ago and is still sending: nobody else takes it.
    Notification.objects.filter(pk=row.pk).update(status="sending", claimed_at=timezone.now())
    assert notifications_flush() == (0, False)
    # Its claim has expired: the worker died; the row goes out again, same Message-ID.
    expired = timezone.now() - services.STALE_CLAIM - datetime.timedelta(seconds=1)
    Notification.objects.filter(pk=row.pk).update(claimed_at=expired)
    assert notifications_flush() == (1, False)
    assert [m["Message-ID"] for m in smtp.messages] == [message_id(row)]


def test_subject_is_cut_at_a_word_with_an_ellipsis():
    words = "Quá hạn 12 ngày: triển khai thực hiện Kết luận 56-KL/TU về tăng cường " * 6
    short = subject_shorten(words)
    assert len(short) <= SUBJECT_LIMIT < 300
    assert short.endswith("…")
    stem = short.removesuffix("…")
    assert words.startswith(stem) and words[len(stem)] == " "  # cut before a space
    assert subject_shorten("Nhắc hạn  ngày 09/02/2026") == "Nhắc hạn ngày 09/02/2026"
    assert subject_shorten("a" * 400).endswith("…") and len(subject_shorten("a" * 400)) == 150


def test_stored_subject_is_shortened(db):
    user = UserFactory(email="huong@mttq.example")
    enqueue(user, subject="Việc quá hạn của Ủy ban Mặt trận " * 20)
    for row in Notification.objects.filter(recipient=user):
        assert len(row.subject) <= SUBJECT_LIMIT and row.subject.endswith("…")


def test_directive_without_number_has_no_double_space(db):
    from tests.factories import DirectiveFactory

    directive = DirectiveFactory(code="", subject="về công tác dân vận")
    assert "  " not in directive.title


@pytest.mark.django_db(transaction=True)
def test_a_sweep_counts_only_the_rows_it_inserted(province):
    for i in range(4):
        unit = UnitFactory(
            name=f"Đảng ủy xã {i}", kind=UnitKind.PARTY_COMMITTEE, parent=province["committee"]
        )
        UserFactory(unit=unit, role=Role.STAFF)
        province["assign"](D(2026, 3, 9), unit=unit)
    first_done = threading.Event()
    results = {}

    def first() -> None:
        try:
            # Its rows stay uncommitted a moment: the second sweep plans the same messages
            # and its inserts wait on them, then insert nothing.
            with transaction.atomic():
                results["first"] = reminders_sweep(today=MONDAY)
                first_done.set()
                time.sleep(1.5)
        finally:
            first_done.set()
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert first_done.wait(60)
    try:
        results["second"] = reminders_sweep(today=MONDAY)
    finally:
        thread.join(60)
    total = Notification.objects.count()
    assert total > 0
    assert results["first"].queued == total
    assert results["second"].queued == 0


def test_deploy_check_warns_when_site_url_is_local(settings):
    settings.SITE_URL = "http://localhost:8000"
    warnings = site_url_is_public()
    assert [w.id for w in warnings] == ["notifications.W001"]
    settings.SITE_URL = "https://vanban.tinhuy.example.vn"
    assert site_url_is_public() == []
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(SystemCheckError, match="notifications.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "urls")
