"""Schemathesis against a live server on loopback, on the demo data (``seed_demo``): every
operation of the published schema, with generated valid and invalid input, as the demo
staff member's API key. No response may be a 5xx, and every documented response must
match its schema."""

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
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, tmp_path):
    call_command("seed_demo")
    staff = User.objects.get(username="canbo.mttq.haiduong")
    schema = Client().get("/api/v1/schema/?format=json").json()
    operations = sum(
        method in ("get", "post", "put", "patch", "delete")
        for item in schema["paths"].values()
        for method in item
    )
    Notification.objects.create(
        recipient=staff, channel=Channel.INAPP, kind="report", dedup_key="st-1",
        subject="Nhắc hạn", body_text="Sắp đến hạn báo cáo",
    )  # fmt: skip
    _key, raw = api_key_create(user=staff, name="Kiểm thử")
    command = [
        sys.executable, "-m", "schemathesis.cli", "run",
        f"{live_server.url}/api/v1/schema/?format=json",
        "--url", live_server.url,
        "-H", f"Authorization: Api-Key {raw}",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", "25",
        "--seed", "17",
        "--request-timeout", "20",
        "--no-color",
    ]  # fmt: skip
    with override_settings(API_KEY_RATE="100000/min"):
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False
        )
    output = result.stdout + result.stderr
    print(output[-3000:])
    assert result.returncode == 0, output[-6000:]
    tested = re.search(r"Tested: (\d+)", output)
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert tested and int(tested.group(1)) == operations, output[-3000:]
    assert cases and cases.group(1) == cases.group(2) and int(cases.group(1)) > 100, output
    assert "failed" not in output.split("SUMMARY")[-1], output[-3000:]
