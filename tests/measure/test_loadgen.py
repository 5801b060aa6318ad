"""The load generator builds a consistent tree and data the application can use."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from directives.models import Assignment, Directive, ProgressReport
from directives.status import Status
from measure.loadgen.generate import TABLES
from measure.loadgen.organisation import PROVINCES
from measure.loadgen.plan import LoadPlan
from tests.factories import UnitFactory
from units.models import Role, Unit, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def planner_statistics_restored(django_db_setup, django_db_blocker):
    """generate_load ends with ANALYZE. Its row estimates (pg_class.reltuples) are written
    in place and outlive the test's rollback, so later tests would be planned for tables
    of thousands of rows that are nearly empty: measure the tables again afterwards."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for table in TABLES.values():
            cursor.execute(f"ANALYZE {table}")


def test_small_scale_load_is_consistent_and_usable(capsys):
    call_command("generate_load", "--scale", "0.003")
    assert "Xong sau" in capsys.readouterr().out

    # The tree is sound for treebeard: paths, depths and child counts agree.
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert Unit.objects.filter(kind="party_committee", level="commune").count() >= 6
    # Every role has users, and a province viewer is scoped to their province.
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    viewer = User.objects.get(username="load.p0.viewer")
    assert 0 < Unit.objects.visible_to(viewer).count() < Unit.objects.count()

    assert Directive.objects.count() >= 10
    assert Assignment.objects.count() >= 100
    assert ProgressReport.objects.count() >= Assignment.objects.count()
    statuses = dict(
        Assignment.objects.with_status().values_list("current_status").annotate(n=Count("id"))
    )
    assert statuses.get(Status.DONE_ON_TIME, 0) > statuses.get(Status.OVERDUE, 0) > 0
    # The map since 2025: communes directly under the provinces, no district level in
    # operation, and the closed district committees older documents name, with history.
    today = datetime.date.today()
    provinces = Unit.objects.filter(kind="party_committee", level="province")
    for commune in Unit.objects.filter(kind="party_committee", level="commune"):
        assert Unit.objects.get_parent(commune) in provinces
    assert not Unit.objects.active(today).filter(level="district").exists()
    districts = Unit.objects.filter(level="district")
    assert districts.count() >= 2 * provinces.count()
    for district in districts:
        assert district.valid_to == datetime.date(2025, 6, 30)
        assert district.successor == Unit.objects.get_parent(district)
        change = district.changes.get()
        assert (change.kind, change.effective_on) == ("close", datetime.date(2025, 7, 1))
    older = Directive.objects.filter(issuer__level="district")
    assert older.exists()
    assert not older.filter(issued_on__gte=datetime.date(2025, 7, 1)).exists()
    assert Unit.objects.filter(name="Ban Tuyên giáo và Dân vận Trung ương").exists()
    assert not Unit.objects.filter(name__startswith="Ban Dân vận").exists()
    # Codes stay unique per issuer, and id sequences were moved past the loaded rows.
    duplicates = Directive.objects.values("issuer", "code").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    UnitFactory(name="Đơn vị mới sau khi nạp")


def test_refuses_a_database_that_already_has_units():
    UnitFactory()
    with pytest.raises(CommandError):
        call_command("generate_load", "--scale", "0.001")


def test_benchmark_measures_every_case_on_a_small_load(tmp_path):
    call_command("generate_load", "--scale", "0.003")
    out = tmp_path / "bench.json"
    call_command("benchmark", "--runs", "1", "--json", str(out))
    rows = json.loads(out.read_text())
    names = " | ".join(r["name"] for r in rows)
    for expected in (
        "dashboard, national",
        "dashboard, province",
        "my work",
        "directive list",
        "directive page",
        "reminder sweep",
        "roll-up build, province",
        "roll-up build, national",
        "export .docx",
        "export .xlsx",
        "search, national",
        "directive list searching tasks",
    ):
        assert expected in names
    for row in rows:
        assert set(row) >= {
            "name",
            "median_ms",
            "p95_ms",
            "queries",
            "floor_ms",
            "ratio",
            "peak_mb",
        }
        assert row["median_ms"] > 0
        # Exports render stored figures; everything else reads the database.
        assert row["queries"] > 0 or row["name"].startswith("export")


def test_the_national_plan_is_the_34_provinces():
    assert LoadPlan.for_scale(1).provinces == 34
    assert len(set(PROVINCES)) == 34
    assert not {"Hải Dương", "Phú Yên", "Kiên Giang", "Kon Tum"} & set(PROVINCES)
