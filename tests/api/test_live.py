"""The README's example, over real HTTP against a live server on loopback."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from api.models import api_key_create
from directives.models import ProgressReport


def call(url: str, key: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Api-Key {key}"})
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


@pytest.mark.django_db(transaction=True)
def test_the_readme_example_works_over_http(live_server, work):
    world, objects = work
    _key, raw = api_key_create(user=world["a"]["staff"], name="Văn bản điều hành")
    base = f"{live_server.url}/api/v1"
    status, body = call(f"{base}/assignments/?status=overdue", raw)
    assert status == 200 and [r["id"] for r in body["results"]] == [objects["a"]["late"].pk]
    status, body = call(
        f"{base}/assignments/{objects['a']['late'].pk}/reports/",
        raw,
        {"percent": 60, "results": "Đã tổ chức 12 hội nghị quán triệt."},
    )
    assert status == 201 and ProgressReport.objects.filter(pk=body["id"], percent=60).exists()
    status, body = call(f"{base}/assignments/", raw[:-1])
    assert status == 401 and body["message"] == "Khóa API không hợp lệ."
