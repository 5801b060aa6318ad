"""`manage.py loadtest` drives the real flows through gunicorn and finds every report the
server accepted in the database (a small dataset, a few people, a short run)."""

from __future__ import annotations

import json

import pytest
from django.conf import global_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from directives.models import ProgressReport
from reports.models import FigureCache
from units.models import User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_loadtest_submits_reviews_and_loses_nothing(tmp_path, monkeypatch, settings):
    # gunicorn checks passwords with the production hashers: store them that way.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.setenv("LOADTEST_THINK", "0.2,0.5")
    call_command("generate_load", "--scale", "0.003")
    before = ProgressReport.objects.count()
    out = tmp_path / "loadtest.json"

    try:
        call_command(
            "loadtest", "--users", "5", "--spawn-rate", "5", "--run-time", "30", "--json", str(out)
        )
    except CommandError as exc:
        failures = json.loads(out.read_text())["failures"] if out.exists() else None
        pytest.fail(f"{exc}: {failures}")

    result = json.loads(out.read_text())
    by_name = {row["name"]: row for row in result["requests"]}
    # Each kind of person did its work, and nothing failed.
    for name in (
        "login",
        "Việc của tôi",
        "submit progress (PDF attached)",
        "dashboard",
        "review queue",
    ):
        assert by_name[name]["requests"] > 0, name
    assert by_name["Aggregated"]["failures"] == 0
    # Every report the server said it took is in the database, with its attachment.
    accepted = result["reports_accepted_by_server"]
    assert accepted > 0
    assert result["lost"] == []
    new = ProgressReport.objects.filter(results__contains="[tải thử ")
    assert new.count() == accepted == ProgressReport.objects.count() - before
    assert all(report.attachments.count() == 1 for report in new)
    # Each leader's dashboard and download had stored figures before the run.
    leaders = User.objects.filter(username__regex=r"^load\.(national|p[0-9]+\.viewer)$")
    assert leaders.count() > 1
    stored = FigureCache.objects.filter(params__whole=True).count()
    assert stored == FigureCache.objects.exclude(params__has_key="whole").count() == leaders.count()
