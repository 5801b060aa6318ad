"""The demo organisation and its directives: realistic, linked, with every status on show."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Event

from directives.models import Assignment, Directive, ProgressReport
from directives.status import Status
from reports.aggregates import Slice, monthly_trend
from sampledata.accounts import DEMO_PASSWORD
from units.models import Role, Unit, UnitChange, UnitKind, UnitLevel, User
from units.selectors import current_successors

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
D = datetime.date
CURRENT_PROVINCES = [
    "Thành ủy Hải Phòng",
    "Tỉnh ủy Đắk Lắk",
    "Tỉnh ủy Hà Tĩnh",
    "Tỉnh ủy An Giang",
    "Tỉnh ủy Quảng Ngãi",
]
MERGED = {
    "Tỉnh ủy Hải Dương": "Thành ủy Hải Phòng",
    "Tỉnh ủy Phú Yên": "Tỉnh ủy Đắk Lắk",
    "Tỉnh ủy Kiên Giang": "Tỉnh ủy An Giang",
    "Tỉnh ủy Kon Tum": "Tỉnh ủy Quảng Ngãi",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo")
        yield
        # Module-scoped data: remove it for the tests that follow, with its audit history
        # and the directives' reach (tables without foreign keys for CASCADE to follow,
        # and the ids restart).
        events = [m._meta.db_table for m in apps.get_models() if issubclass(m, Event)]
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE units_unit, units_user, directives_directive, directives_directivereach, "
                f"{', '.join(events)} RESTART IDENTITY CASCADE"
            )


def test_organisation_has_hundreds_of_units_and_every_body(demo):
    assert Unit.objects.count() >= 500
    for committee_name in CURRENT_PROVINCES:
        committee = Unit.objects.get(name=committee_name)
        kinds = set(Unit.objects.subtree(committee).active().values_list("kind", flat=True))
        assert kinds >= {k.value for k in UnitKind}
        assert (
            Unit.objects.subtree(committee)
            .active()
            .filter(kind=UnitKind.MASS_ORGANISATION, level="province")
        ).count() == 5
    assert Unit.objects.filter(name="Bộ Chính trị").exists()
    assert Unit.objects.filter(name="Ban Tuyên giáo và Dân vận Trung ương").exists()
    # Đức Phổ's communes moved up under the province when the town committee closed.
    ducpho = Unit.objects.get(name="Thị ủy Đức Phổ")
    moved = UnitChange.objects.filter(kind=UnitChange.Kind.MOVE, old_parent=ducpho)
    assert moved.count() == 15
    province = Unit.objects.get(name="Tỉnh ủy Quảng Ngãi")
    assert all(Unit.objects.get_parent(c.unit).pk == province.pk for c in moved)
    assert {c.effective_on for c in moved} == {D(2025, 7, 1)}


def test_every_role_has_a_demo_login_that_works_with_the_readme_password(demo):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    logins = set(re.findall(r"`([a-z.]+)`", section))
    assert len(logins) >= 15
    assert {u.role for u in User.objects.filter(username__in=logins)} == set(Role.values)
    for username in logins:
        # As the login page does: the login throttle needs the request.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD), username


def test_seed_documents_are_entered_with_their_chain_and_references(demo):
    nq25 = Directive.objects.get(code="25-NQ/TW")
    kl43 = Directive.objects.get(code="43-KL/TW")
    cv872 = Directive.objects.get(code="872-CV/TU")
    assert cv872.implements == kl43 and kl43.implements == nq25
    assert Directive.objects.get(code="56-KL/TU").implements == nq25
    assert set(nq25.cited_by.values_list("directive__code", flat=True)) >= {
        "56-KL/TU",
        "872-CV/TU",
    }
    assert cv872.issuer.name == "Tỉnh ủy Kiên Giang"
    assert cv872.issued_on.isoformat() == "2019-05-14"
    assert Directive.objects.get(code="06-NQ/TW").tasks.count() > 30


def test_history_shows_every_status_and_returned_and_pending_reports(demo):
    statuses = set(
        Assignment.objects.with_status().values_list("current_status", flat=True).distinct()
    )
    assert statuses >= {
        Status.OVERDUE,
        Status.DUE_SOON,
        Status.DUE_TODAY,
        Status.NOT_DUE,
        Status.DONE_ON_TIME,
        Status.DONE_LATE,
        Status.ONGOING,
    }
    counts = dict(ProgressReport.objects.values_list("status").annotate(n=Count("id")))
    assert counts["returned"] > 0 and counts["submitted"] > 0 and counts["accepted"] > 100
    # A resubmission answers every returned report that was followed up.
    assert ProgressReport.objects.filter(resubmission_of__isnull=False).exists()


def test_seed_demo_refuses_to_run_twice(demo):
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")  # says so and succeeds


def test_the_demo_is_the_2026_map(demo):
    today = timezone.localdate()
    active = Unit.objects.active(today)
    assert not active.filter(level=UnitLevel.DISTRICT).exists()
    provinces = active.filter(kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.PROVINCE)
    assert sorted(provinces.values_list("name", flat=True)) == sorted(CURRENT_PROVINCES)
    for old, new in MERGED.items():
        unit = Unit.objects.get(name=old)
        assert unit.valid_to == D(2025, 6, 30) and unit.successor.name == new
        change = unit.changes.get()
        assert (change.kind, change.effective_on) == (UnitChange.Kind.MERGE, D(2025, 7, 1))
        # Nothing in operation is left under a merged province.
        assert not Unit.objects.subtree(unit).active(today).exists()
    # Communes report directly to the province committee.
    communes = active.filter(kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.COMMUNE)
    assert communes.count() >= 40
    for commune in communes:
        assert Unit.objects.get_parent(commune).name in CURRENT_PROVINCES
    # The propaganda and mass mobilisation boards are one board, at the centre and in
    # every province, and the old boards lead to it.
    for committee in ["Ban Chấp hành Trung ương Đảng", *CURRENT_PROVINCES]:
        boards = Unit.objects.get_children(Unit.objects.get(name=committee)).active(today)
        names = set(boards.values_list("name", flat=True))
        separate = [n for n in names if n.startswith("Ban Dân vận")]
        separate += [n for n in names if n.startswith("Ban Tuyên giáo ") and " và " not in n]
        assert not separate, committee
        merged = [n for n in names if n.startswith("Ban Tuyên giáo và Dân vận")]
        assert len(merged) == 1, committee
    old_board = Unit.objects.get(name="Ban Dân vận Tỉnh ủy Phú Yên")
    assert [u.name for u in current_successors(old_board)] == [
        "Ban Tuyên giáo và Dân vận Tỉnh ủy Đắk Lắk"
    ]
    # Open work went with the units: nothing open is held by a closed unit.
    closed_with_work = Assignment.objects.filter(
        completed_on__isnull=True, cancelled=False, unit__valid_to__isnull=False
    )
    assert not closed_with_work.exists()


def test_old_documents_keep_the_name_of_the_unit_that_issued_them(demo, client):
    kl56 = Directive.objects.get(code="56-KL/TU")
    assert kl56.issuer.name == "Tỉnh ủy Hải Dương" and kl56.issuer.valid_to is not None
    assert Directive.objects.get(code="872-CV/TU").issuer.name == "Tỉnh ủy Kiên Giang"
    # Finished work stays with the unit that did it, under the name it had.
    done = Assignment.objects.filter(
        completed_on__lte=D(2025, 6, 30), unit__valid_to__isnull=False, cancelled=False
    )
    assert done.filter(unit__level=UnitLevel.PROVINCE).exists()
    assert done.filter(unit__level=UnitLevel.DISTRICT).exists()
    client.force_login(User.objects.get(username="bdv.haiduong"))
    page = client.get(reverse("directives:detail", args=[kl56.pk]))
    assert page.status_code == 200
    assert "Tỉnh ủy Hải Dương" in page.content.decode()


def test_an_account_of_a_merged_province_sees_its_successors_subtree(demo, client):
    # Through the login page, as a person does (the login throttle needs the request).
    response = client.post(
        reverse("login"), {"username": "bdv.haiduong", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    user = User.objects.get(username="bdv.haiduong")
    assert user.unit.name == "Ban Tuyên giáo và Dân vận Thành ủy Hải Phòng"
    former = Unit.objects.get(name="Đảng ủy phường Trần Hưng Đạo")  # was in Hải Dương
    elsewhere = Unit.objects.get(name="Tỉnh ủy Hà Tĩnh")
    assert client.get(reverse("units:detail", args=[former.pk])).status_code == 200
    assert client.get(reverse("units:detail", args=[elsewhere.pk])).status_code == 404
    dashboard = client.get(reverse("reports:dashboard"))
    assert dashboard.status_code == 200
    assert "Thành ủy Hải Phòng" in dashboard.content.decode()


def test_the_trend_of_every_demo_monitor_changes_from_month_to_month(demo):
    today = timezone.localdate()
    for user in User.objects.filter(role=Role.MONITOR, username__startswith="bdv."):
        trend = monthly_trend(Slice(path=user.scope.path, as_of=today))
        months = [(t["done_on_time"], t["done_late"], t["overdue"]) for t in trend]
        # Work is finished or falls overdue in most months, not only in a few.
        changed = sum(1 for a, b in zip(months, months[1:], strict=False) if a != b)
        assert changed >= 8, (user.username, months)
    country = User.objects.get(username="bdv.trunguong")
    trend = monthly_trend(Slice(path=country.scope.path, as_of=today))
    assert all(t["overdue"] > 0 for t in trend)
    assert trend[-1]["done_on_time"] > trend[0]["done_on_time"]
