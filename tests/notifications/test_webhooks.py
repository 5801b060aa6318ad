"""Webhooks: the signature, one delivery per (event, endpoint), the domain events that
queue them, a unit-bound endpoint, and each answer of a real receiver on loopback
(delivered, retried with backoff, failed). The worker's part is in test_webhook_worker.py."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from directives.services.assignments import task_assign
from directives.services.documents import directive_save
from directives.services.progress import assignment_submit_progress, progress_review
from directives.status import local_today
from notifications.models import NotificationStatus, WebhookDelivery, WebhookEvent
from notifications.reminders import reminders_sweep
from notifications.webhook_events import emit_rollup_ready
from notifications.webhooks import (
    signature,
    signature_valid,
    signed_headers,
    webhook_deliver,
    webhook_emit,
    webhook_endpoint_create,
    webhook_endpoint_disable,
    webhooks_flush,
)
from tests.factories import DirectiveFactory, TaskFactory

pytestmark = pytest.mark.django_db

ALL = WebhookEvent.values


def endpoint(url: str = "http://127.0.0.1:9/hook", events=ALL, unit=None):
    return webhook_endpoint_create(name="Hệ thống điều hành", url=url, events=events, unit=unit)


# --- Signing ---------------------------------------------------------------------------


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = b'{"event": "task.assigned"}'
    expected = hmac.new(b"whsec_x", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signature("whsec_x", 1700000000, body) == f"sha256={expected}"


def test_a_receiver_refuses_a_changed_body_another_secret_or_an_old_timestamp():
    body = b'{"a": 1}'
    header = signature("whsec_x", 1700000000, body)
    assert signature_valid("whsec_x", "1700000000", body, header, now=1700000100)
    assert not signature_valid("whsec_x", "1700000000", b'{"a": 2}', header, now=1700000100)
    assert not signature_valid("whsec_y", "1700000000", body, header, now=1700000100)
    assert not signature_valid("whsec_x", "1700000000", body, header, now=1700001000)
    assert not signature_valid("whsec_x", "soon", body, header, now=1700000100)


# --- Queueing ----------------------------------------------------------------------------


def test_an_event_is_queued_once_per_endpoint_however_often_it_is_emitted(province):
    first, second = endpoint(), endpoint()
    endpoint(events=[WebhookEvent.ROLLUP_READY])  # listens to something else
    for _ in range(3):
        webhook_emit(event=WebhookEvent.TASK_ASSIGNED, key="task.assigned:1", data={"id": 1})
    rows = WebhookDelivery.objects.filter(event_key="task.assigned:1")
    assert sorted(rows.values_list("endpoint_id", flat=True)) == [first.pk, second.pk]


def test_a_disabled_endpoint_is_not_told_and_its_waiting_deliveries_stop(province):
    hook = endpoint()
    webhook_emit(event=WebhookEvent.TASK_ASSIGNED, key="task.assigned:1", data={})
    webhook_endpoint_disable(endpoint=hook)
    webhook_emit(event=WebhookEvent.TASK_ASSIGNED, key="task.assigned:2", data={})
    assert list(WebhookDelivery.objects.values_list("event_key", "status")) == [
        ("task.assigned:1", NotificationStatus.FAILED)
    ]


def test_the_work_queues_each_event_of_the_domain(province):
    hook = endpoint()
    today = local_today()
    directive = directive_save(
        directive=DirectiveFactory.build(
            issuer=province["committee"], monitoring_unit=province["board"], code="99-CT/TU"
        ),
        by=province["monitor"],
    )
    task = TaskFactory(directive=directive, due_on=today + datetime.timedelta(days=30))
    [assignment] = task_assign(task=task, units=[province["front"]], announce=True)
    report = assignment_submit_progress(
        assignment=assignment, author=province["leader"], percent=40, results="Đã triển khai."
    )
    progress_review(report=report, reviewer=province["monitor"], accept=False, comment="Bổ sung")
    late = province["assign"](today - datetime.timedelta(days=5))
    reminders_sweep(today=today)
    reminders_sweep(today=today)  # the next run tells nothing twice
    emit_rollup_ready(
        rollup_id=7, code="BC-01", committee_id=province["committee"].pk,
        committee_path=province["committee"].path, built_at=timezone.now(),
    )  # fmt: skip
    keys = set(WebhookDelivery.objects.filter(endpoint=hook).values_list("event_key", flat=True))
    assert {
        f"directive.issued:{directive.pk}",
        f"task.assigned:{assignment.pk}",
        f"report.submitted:{report.pk}",
        f"report.returned:{report.pk}",
        f"deadline.passed:{late.pk}:{late.due_on.isoformat()}",
    } <= keys
    assert sum(k.startswith("rollup.ready:7:") for k in keys) == 1
    assert WebhookDelivery.objects.filter(event_key__startswith="deadline.passed").count() == 1
    body = json.loads(WebhookDelivery.objects.get(event_key=f"task.assigned:{assignment.pk}").body)
    assert body["event"] == "task.assigned"
    assert body["data"] == {
        "assignment_id": assignment.pk,
        "task_id": task.pk,
        "directive_id": directive.pk,
        "unit_id": province["front"].pk,
        "due_on": assignment.due_on.isoformat(),
    }


def test_an_endpoint_bound_to_a_unit_hears_only_of_that_unit(province):
    front_only = endpoint(events=[WebhookEvent.TASK_ASSIGNED], unit=province["front"])
    everyone = endpoint(events=[WebhookEvent.TASK_ASSIGNED])
    task = TaskFactory(directive=province["directive"])
    task_assign(task=task, units=[province["front"], province["farmers"]], announce=True)
    assert WebhookDelivery.objects.filter(endpoint=front_only).count() == 1
    assert WebhookDelivery.objects.filter(endpoint=everyone).count() == 2


def test_nothing_is_queued_when_the_change_is_rolled_back(province):
    endpoint()
    task = TaskFactory(directive=province["directive"])
    with pytest.raises(RuntimeError), transaction.atomic():
        task_assign(task=task, units=[province["front"]], announce=True)
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


# --- Sending to a real receiver ----------------------------------------------------------


def test_a_delivery_is_posted_signed_and_recorded(province, receiver):
    hook = endpoint(url=receiver.url)
    [pk] = webhook_emit(event=WebhookEvent.TASK_ASSIGNED, key="task.assigned:5", data={"x": 1})
    assert webhook_deliver(delivery_id=pk).delivered
    [request] = receiver.requests
    headers = request["headers"]
    assert headers["X-Webhook-Id"] == str(pk) and headers["X-Webhook-Event"] == "task.assigned"
    assert signature_valid(
        hook.secret, headers["X-Webhook-Timestamp"], request["body"], headers["X-Webhook-Signature"]
    )
    row = WebhookDelivery.objects.get(pk=pk)
    assert (row.status, row.attempts, row.last_status_code) == ("sent", 1, 200)
    assert row.delivered_at is not None and row.last_attempt_at is not None
    # Done is done: delivering again posts nothing.
    assert not webhook_deliver(delivery_id=pk).delivered
    assert len(receiver.requests) == 1


def test_a_500_is_retried_with_a_doubling_wait_and_a_404_fails_at_once(
    province, receiver, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    endpoint(url=receiver.url)
    [pk] = webhook_emit(event=WebhookEvent.TASK_ASSIGNED, key="task.assigned:5", data={})
    receiver.fail = 2
    outcome = webhook_deliver(delivery_id=pk)
    assert outcome.retry_in == 30
    row = WebhookDelivery.objects.get(pk=pk)
    assert (row.status, row.last_status_code, row.last_error) == ("pending", 500, "HTTP 500")
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=25)
    assert not webhook_deliver(delivery_id=pk).delivered  # not due yet: nothing posted
    WebhookDelivery.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
    assert webhook_deliver(delivery_id=pk).retry_in == 60
    WebhookDelivery.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
    assert webhooks_flush() == (1, False)
    assert WebhookDelivery.objects.get(pk=pk).attempts == 3

    receiver.status = 404
    [other] = webhook_emit(event=WebhookEvent.TASK_ASSIGNED, key="task.assigned:6", data={})
    assert webhook_deliver(delivery_id=other).retry_in is None
    row = WebhookDelivery.objects.get(pk=other)
    assert (row.status, row.attempts, row.last_status_code) == ("failed", 1, 404)


def test_a_receiver_that_does_not_answer_in_time_is_retried(province, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    endpoint(url=receiver.url)
    receiver.delay = 2
    [pk] = webhook_emit(event=WebhookEvent.TASK_ASSIGNED, key="task.assigned:5", data={})
    assert webhook_deliver(delivery_id=pk).retry_in is not None
    row = WebhookDelivery.objects.get(pk=pk)
    assert row.status == "pending" and row.last_status_code is None
    assert "timed out" in row.last_error.lower()


def test_the_last_attempt_fails_for_good(province, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    endpoint(url="http://127.0.0.1:9/closed")  # nothing listens on the discard port
    [pk] = webhook_emit(event=WebhookEvent.TASK_ASSIGNED, key="task.assigned:5", data={})
    assert webhook_deliver(delivery_id=pk).retry_in is None
    row = WebhookDelivery.objects.get(pk=pk)
    assert row.status == "failed" and "Connection" in row.last_error


def test_the_readme_verification_snippet_accepts_our_signature_and_nothing_else():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Webhooks", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(snippet, namespace)
    verify = namespace["verify"]
    body = b'{"event": "task.assigned", "data": {"assignment_id": 1}}'
    headers = signed_headers(secret="whsec_s", body=body, delivery_id=1, event="task.assigned")
    assert verify("whsec_s", headers, body)
    assert not verify("whsec_other", headers, body)
    assert not verify("whsec_s", headers, body + b" ")
