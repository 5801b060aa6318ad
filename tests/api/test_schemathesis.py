"""Schemathesis against a live server on loopback: every operation of the published
schema, with generated valid and invalid input, as a staff member's API key. No response
may be a 5xx, and every documented response must match its schema."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.test import override_settings

from api.models import api_key_create
from notifications.models import Channel, Notification


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, work, tmp_path):
    world, _objects = work
    staff = world["a"]["staff"]
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
    assert tested and int(tested.group(1)) == 9, output[-3000:]
    assert cases and cases.group(1) == cases.group(2) and int(cases.group(1)) > 100, output
    assert "failed" not in output.split("SUMMARY")[-1], output[-3000:]
