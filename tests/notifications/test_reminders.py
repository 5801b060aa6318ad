"""The morning sweep: what each digest lists, escalation, preferences, confidentiality,
no duplicates (twice, or two sweeps at the same moment), bounded queries."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from directives.models import Directive
from notifications import reminders
from notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from notifications.reminders import reminders_sweep
from tests.factories import DirectiveFactory, UnitFactory, UserFactory
from tests.notifications.conftest import at, listed
from units.models import Role, UnitKind

D = datetime.date
# Monday 2 March 2026: today, +1, +3 and +7 days are all working days.
MONDAY = D(2026, 3, 2)


def digest(user, channel=Channel.EMAIL) -> Notification:
    return Notification.objects.get(recipient=user, kind=NotificationKind.DIGEST, channel=channel)


def test_digest_lists_each_offset_today_and_overdue_and_nothing_else(province):
    assign = province["assign"]
    a7 = assign(MONDAY + datetime.timedelta(days=7))
    a3 = assign(MONDAY + datetime.timedelta(days=3))
    a1 = assign(MONDAY + datetime.timedelta(days=1))
    a0 = assign(MONDAY)
    late = assign(D(2026, 2, 26))  # Thursday: 4 days overdue
    assign(MONDAY + datetime.timedelta(days=2))  # not an offset
    assign(MONDAY + datetime.timedelta(days=8))  # too far
    assign(D(2026, 2, 20), completed_on=D(2026, 2, 19))  # done
    assign(D(2026, 2, 20), cancelled=True)
    assign(None)  # ongoing duty: no date to remind of

    with at(MONDAY):
        reminders_sweep()

    mail = digest(province["staff"])
    assert listed(mail.body_html) == {
        a7.pk: ("soon", 7),
        a3.pk: ("soon", 3),
        a1.pk: ("soon", 1),
        a0.pk: ("today", 0),
        late.pk: ("overdue", -4),
    }
    assert f"http://localhost:8000/work/assignments/{late.pk}/" in mail.body_html
    assert f"http://localhost:8000/work/assignments/{late.pk}/" in mail.body_text
    assert "56-KL/TU" in mail.body_text and "02/03/2026" in mail.subject
    assert "/notifications/preferences/" in mail.body_html  # footer: how to change it
    # Overdue in red, due soon and today in orange.
    assert "border-left:5px solid #c62828" in mail.body_html
    assert "border-left:5px solid #ef6c00" in mail.body_html
    assert digest(province["staff"], Channel.INAPP).body_text == mail.body_text
    # The leader of the same unit gets the same list; other units, viewers: nothing.
    assert listed(digest(province["leader"]).body_html).keys() == listed(mail.body_html).keys()
    assert not Notification.objects.filter(
        recipient__in=[province["farmer"], province["viewer"]], kind=NotificationKind.DIGEST
    ).exists()


def test_digest_groups_items_by_directive(province):
    other = DirectiveFactory(issuer=province["committee"], code="99-CT/TU", subject="về đất đai")
    province["assign"](MONDAY, title="Việc A")
    province["assign"](MONDAY, directive=other, title="Việc B")
    province["assign"](MONDAY + datetime.timedelta(days=1), title="Việc C")
    with at(MONDAY):
        reminders_sweep()
    text = digest(province["staff"]).body_text
    first, second = text.index("56-KL/TU"), text.index("99-CT/TU")
    assert first < text.index("Việc A") < text.index("Việc C") < second < text.index("Việc B")


def test_unit_with_nothing_due_gets_no_digest(province):
    province["assign"](MONDAY + datetime.timedelta(days=20))
    with at(MONDAY):
        result = reminders_sweep()
    assert result.digests == 0
    assert not Notification.objects.exists()


def test_running_twice_the_same_day_queues_nothing_more_and_next_day_sends_again(province):
    province["assign"](D(2026, 2, 26))
    with at(MONDAY):
        reminders_sweep()
        count = Notification.objects.count()
        again = reminders_sweep()
    assert again.digests == 0 and again.escalations == 0
    assert Notification.objects.count() == count
    assert Notification.objects.filter(recipient=province["staff"]).count() == 2  # mail + inbox
    with at(MONDAY + datetime.timedelta(days=1)):
        reminders_sweep()
    keys = set(
        Notification.objects.filter(recipient=province["staff"]).values_list("dedup_key", flat=True)
    )
    uid = province["staff"].pk
    assert keys == {f"digest:{uid}:2026-03-02", f"digest:{uid}:2026-03-03"}


def test_messages_written_in_parts_are_the_same_and_counted_once(province, monkeypatch):
    """Rows are written as their bodies pile up (a monitor's escalation can be huge): with
    every message written on its own, the outbox holds the same rows, each counted once."""
    for i in range(6):
        province["assign"](D(2026, 2, 16) + datetime.timedelta(days=i))

    def outbox() -> set[tuple]:
        return set(
            Notification.objects.values_list(
                "dedup_key", "recipient_id", "channel", "subject", "body_text", "body_html"
            )
        )

    with at(MONDAY):
        whole = reminders_sweep()
    expected = outbox()
    Notification.objects.all().delete()
    monkeypatch.setattr(reminders, "INSERT_CHARS", 1)
    with at(MONDAY):
        parts = reminders_sweep()
        again = reminders_sweep()
    assert outbox() == expected
    assert whole.escalations == parts.escalations == 2 and whole.digests == parts.digests
    assert parts.queued == whole.queued == len(expected)
    assert again.queued == 0


def test_overdue_assignment_escalates_to_leader_after_three_days_then_monitor_after_seven(
    province,
):
    late = province["assign"](D(2026, 2, 26))  # Thursday
    leader, monitor = province["leader"], province["monitor"]

    def escalations():
        return set(
            Notification.objects.filter(
                kind__startswith="escalation", channel=Channel.EMAIL
            ).values_list("recipient__username", "dedup_key")
        )

    with at(D(2026, 2, 28)):  # 2 days overdue
        reminders_sweep()
    assert escalations() == set()
    with at(D(2026, 3, 1)):  # 3 days
        reminders_sweep()
        reminders_sweep()
    assert escalations() == {(leader.username, "escalate:leader:2026-03-01")}  # once a day
    for day in (D(2026, 3, 2), D(2026, 3, 4)):
        with at(day):
            reminders_sweep()
    assert {key for _, key in escalations()} == {
        "escalate:leader:2026-03-01",
        "escalate:leader:2026-03-02",
        "escalate:leader:2026-03-04",
    }
    with at(D(2026, 3, 5)):  # 7 days
        reminders_sweep()
        reminders_sweep()
    assert (monitor.username, "escalate:monitor:2026-03-05") in escalations()
    assert (leader.username, "escalate:leader:2026-03-05") in escalations()
    assert len(escalations()) == 5
    mail = Notification.objects.get(recipient=monitor, channel=Channel.EMAIL)
    assert "Ủy ban MTTQ Việt Nam tỉnh" in mail.body_text
    assert f"/work/assignments/{late.pk}/" in mail.body_html


def test_missed_runs_catch_up_both_steps_once(province):
    late = province["assign"](D(2026, 2, 16))
    with at(MONDAY):  # 14 days overdue, first sweep ever
        reminders_sweep()
        reminders_sweep()
    keys = Notification.objects.filter(
        kind__startswith="escalation", channel=Channel.EMAIL
    ).values_list("dedup_key", flat=True)
    assert sorted(keys) == ["escalate:leader:2026-03-02", "escalate:monitor:2026-03-02"]
    mail = Notification.objects.get(recipient__role=Role.MONITOR, channel=Channel.EMAIL)
    assert f"/work/assignments/{late.pk}/" in mail.body_text


def test_without_a_monitoring_unit_the_issuers_ban_dan_van_is_told(province):
    directive = DirectiveFactory(issuer=province["committee"], monitoring_unit=None)
    late = province["assign"](D(2026, 2, 16), directive=directive)
    with at(MONDAY):
        reminders_sweep()
    assert Notification.objects.filter(
        recipient=province["monitor"],
        dedup_key="escalate:monitor:2026-03-02",
        body_text__contains=f"/work/assignments/{late.pk}/",
    ).exists()


def test_monitors_of_another_province_are_not_told(province):
    other_committee = UnitFactory(name="Tỉnh ủy Phú Yên", kind=UnitKind.PARTY_COMMITTEE)
    other_board = UnitFactory(
        name="Ban Dân vận Tỉnh ủy", kind=UnitKind.PARTY_BOARD, parent=other_committee
    )
    stranger = UserFactory(unit=other_board, role=Role.MONITOR)
    province["assign"](D(2026, 2, 16))
    with at(MONDAY):
        reminders_sweep()
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_digest_off_stops_the_digest_but_not_escalations(province):
    NotificationPreference.objects.create(user=province["leader"], digest_enabled=False)
    province["assign"](D(2026, 2, 16))
    with at(MONDAY):
        reminders_sweep()
    kinds = set(
        Notification.objects.filter(recipient=province["leader"]).values_list("kind", flat=True)
    )
    assert kinds == {NotificationKind.ESCALATION_LEADER}
    assert digest(province["staff"])  # colleagues unaffected


def test_in_app_only_and_users_without_address_get_no_email(province):
    NotificationPreference.objects.create(user=province["staff"], in_app_only=True)
    province["leader"].email = ""
    province["leader"].save()
    province["assign"](MONDAY)
    with at(MONDAY):
        reminders_sweep()
    for user in (province["staff"], province["leader"]):
        channels = set(
            Notification.objects.filter(recipient=user).values_list("channel", flat=True)
        )
        assert channels == {Channel.INAPP}


def test_confidential_directive_is_named_by_number_only(province):
    secret = DirectiveFactory(
        issuer=province["committee"],
        monitoring_unit=province["board"],
        code="12-CT/TU",
        confidential=True,
        subject="về công tác bảo vệ chính trị nội bộ",
    )
    province["assign"](D(2026, 2, 16), directive=secret, title="Rà soát hồ sơ cán bộ chủ chốt")
    with at(MONDAY):
        reminders_sweep()
    rows = Notification.objects.all()
    assert rows.count() == 8  # digests to staff and leader, escalations to leader and monitor, ×2
    for row in rows:
        for text in (row.subject, row.body_text, row.body_html):
            assert "bảo vệ chính trị" not in text
            assert "Rà soát hồ sơ" not in text
        assert "12-CT/TU" in row.body_text


def test_query_count_does_not_grow_with_assignments(province, settings):
    settings.MOVE_DEADLINES_TO_WORKING_DAY = False
    units = [province["front"], province["farmers"]]

    def sweep_queries(count: int, day: D) -> int:
        for i in range(count):
            province["assign"](day - datetime.timedelta(days=4 + i % 3), unit=units[i % 2])
        with at(day), CaptureQueriesContext(connection) as queries:
            result = reminders_sweep()
        assert result.digests == 3  # staff and leader of the Front, staff of the Farmers
        return len(queries)

    Directive.objects.update(monitoring_unit=None)  # the fallback lookup is cached too
    few = sweep_queries(10, D(2026, 3, 2))
    Notification.objects.all().delete()
    many = sweep_queries(150, D(2026, 3, 2))
    assert many == few
    assert few <= 12


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_queue_each_message_once(province):
    for i in range(30):
        unit = UnitFactory(
            name=f"Đảng ủy xã {i}", kind=UnitKind.PARTY_COMMITTEE, parent=province["committee"]
        )
        UserFactory(unit=unit, role=Role.STAFF)
        UserFactory(unit=unit, role=Role.LEADER)
        province["assign"](D(2026, 2, 16), unit=unit)
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    results = []

    def sweep() -> None:
        try:
            start.wait()
            results.append(reminders_sweep(today=MONDAY, units_per_batch=5))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert len(results) == 2
    digests = Notification.objects.filter(kind=NotificationKind.DIGEST)
    assert digests.count() == 60 * 2  # 60 users, e-mail and in-app, once each
    escalations = Notification.objects.filter(kind__startswith="escalation")
    assert escalations.count() == (30 + 1) * 2  # each leader; the monitor once, 30 items
    (mail,) = Notification.objects.filter(recipient=province["monitor"], channel=Channel.EMAIL)
    assert mail.body_html.count("data-assignment=") == 30
