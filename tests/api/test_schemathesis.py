"""Schemathesis against a live server on loopback, on the demo data (``seed_demo``): every
operation of the published schema, with generated valid and invalid input, as the demo
staff member's API key and as the demo monitor's (who gets past the rules of the
operations staff may not use: entering, importing, assigning, reviewing, roll-ups). No
response may be a 5xx, and every documented response must match its schema."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from api.models import api_key_create
from notifications.models import Channel, Notification
from units.models import User

pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["canbo.mttq.haiduong", "bdv.haiduong"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server, tmp_path, username
):
    call_command("seed_demo")
    user = User.objects.get(username=username)
    schema = Client().get("/api/v1/schema/?format=json").json()
    operations = sum(
        method in ("get", "post", "put", "patch", "delete")
        for item in schema["paths"].values()
        for method in item
    )
    Notification.objects.create(
        recipient=user, channel=Channel.INAPP, kind="report", dedup_key="st-1",
        subject="Nhắc hạn", body_text="Sắp đến hạn báo cáo",
    )  # fmt: skip
    _key, raw = api_key_create(user=user, name="Kiểm thử")
    command = [
        sys.executable, "-m", "schemathesis.cli", "run",
        f"{live_server.url}/api/v1/schema/?format=json",
        "--url", live_server.url,
        "-H", f"Authorization: Api-Key {raw}",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", "15",
        "--seed", "17",
        "--request-timeout", "20",
        "--no-color",
    ]  # fmt: skip
    with override_settings(API_KEY_RATE="100000/min"):
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=900, cwd=tmp_path, check=False
        )
    output = result.stdout + result.stderr
    print(output[-3000:])
    assert result.returncode == 0, output[-6000:]
    tested = re.search(r"Tested: (\d+)", output)
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert tested and int(tested.group(1)) == operations, output[-3000:]
    assert cases and cases.group(1) == cases.group(2) and int(cases.group(1)) > 100, output
    # Warnings (operations this user may not use, ids that do not exist) are not failures.
    summary = output.split("SUMMARY")[-1]
    assert not re.search(r"\d+ failed|❌|Failures:", summary), output[-3000:]
