"""A small province, a real SMTP server on loopback, and a real Celery worker."""

from __future__ import annotations

import datetime
import email
import email.policy
import http.server
import re
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller

from config.embedded import free_port
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Role, UnitKind

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Tests here create many users; the production hasher would dominate their time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Mailbox:
    """The aiosmtpd handler: keeps what it accepts; refuses the next ``refuse`` messages
    with a temporary error, as a busy or grey-listing server does."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = 0
        self.refused = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} of {count} e-mails arrived"
            time.sleep(0.1)


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free loopback port; Django's SMTP backend points at it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield mailbox
    controller.stop()


@pytest.fixture
def celery_worker(settings):
    """A real Celery worker (solo pool, in this process) on the Redis of REDIS_URL."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.control.purge()  # tasks left in the queue by earlier runs name rows long gone
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


def at(day: datetime.date, hour: int = 7):
    """Travel to ``hour`` o'clock in Hà Nội on ``day`` (the digest's morning run)."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), HANOI), tick=False
    )


def listed(html: str) -> dict[int, tuple[str, int]]:
    """{assignment id: (category, days until due)} as a digest lists them."""
    found = re.findall(r'data-assignment="(\d+)" data-category="(\w+)" data-days="(-?\d+)"', html)
    return {int(pk): (category, int(days)) for pk, category, days in found}


@pytest.fixture
def province(db):
    """Tỉnh ủy with its Ban Dân vận (the monitoring unit), the Front and the Farmers'
    Association; staff and a leader in the Front, a monitor in the Ban Dân vận."""
    committee = UnitFactory(name="Tỉnh ủy Hải Dương", kind=UnitKind.PARTY_COMMITTEE)
    board = UnitFactory(name="Ban Dân vận Tỉnh ủy", kind=UnitKind.PARTY_BOARD, parent=committee)
    front = UnitFactory(
        name="Ủy ban MTTQ Việt Nam tỉnh", kind=UnitKind.FATHERLAND_FRONT, parent=committee
    )
    farmers = UnitFactory(
        name="Hội Nông dân tỉnh", kind=UnitKind.MASS_ORGANISATION, parent=committee
    )
    directive = DirectiveFactory(
        issuer=committee,
        monitoring_unit=board,
        code="56-KL/TU",
        subject="về tăng cường công tác dân vận trong tình hình mới",
    )
    world = {
        "committee": committee,
        "board": board,
        "front": front,
        "farmers": farmers,
        "directive": directive,
        "staff": UserFactory(username="canbo", unit=front, role=Role.STAFF),
        "leader": UserFactory(username="lanhdao", unit=front, role=Role.LEADER),
        "monitor": UserFactory(username="chuyenvien", unit=board, role=Role.MONITOR),
        "viewer": UserFactory(username="thuongtruc", unit=committee, role=Role.VIEWER),
        "farmer": UserFactory(username="nongdan", unit=farmers, role=Role.STAFF),
    }

    def assign(due: datetime.date | None, *, unit=None, directive=None, title="", **extra):
        task = TaskFactory(
            directive=directive or world["directive"],
            due_on=due,
            title=title or "Tổ chức quán triệt, triển khai thực hiện",
            **({"deadline_kind": "ongoing"} if due is None else {}),
        )
        return AssignmentFactory(task=task, unit=unit or front, **extra)

    world["assign"] = assign
    return world


class Receiver:
    """A webhook receiver on loopback (http.server in a thread): keeps every request and
    answers 200, or 500 to the next ``fail`` requests, or ``status`` when set."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail = 0
        self.status: int | None = None
        self.delay = 0.0
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if owner.delay:
                    time.sleep(owner.delay)
                with owner.lock:
                    if owner.fail > 0:
                        owner.fail -= 1
                        status = 500
                    else:
                        status = owner.status or 200
                    owner.requests.append(
                        {"headers": dict(self.headers), "body": body, "status": status}
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/directives"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answered(self, status: int = 200) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["status"] == status]

    def wait_for(self, count: int, timeout: float = 30, status: int = 200) -> None:
        deadline = time.monotonic() + timeout
        while len(self.answered(status)) < count:
            assert time.monotonic() < deadline, f"{len(self.answered(status))} of {count}"
            time.sleep(0.05)


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
