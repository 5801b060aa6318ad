"""The demo organisation and its directives: realistic, linked, with every status on show."""

from __future__ import annotations

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
from pghistory.models import Event

from directives.models import Assignment, Directive, ProgressReport
from directives.status import Status
from sampledata.accounts import DEMO_PASSWORD
from units.models import Role, Unit, UnitKind, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo")
        yield
        # Module-scoped data: remove it for the tests that follow, with its audit history
        # (event tables have no foreign keys for CASCADE to follow, and the ids restart).
        events = [m._meta.db_table for m in apps.get_models() if issubclass(m, Event)]
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE units_unit, units_user, directives_directive, "
                f"{', '.join(events)} RESTART IDENTITY CASCADE"
            )


def test_organisation_has_hundreds_of_units_and_every_body(demo):
    assert Unit.objects.count() >= 500
    for province in ("Hải Dương", "Phú Yên", "Hà Tĩnh", "Kiên Giang", "Quảng Ngãi"):
        committee = Unit.objects.get(name=f"Tỉnh ủy {province}")
        kinds = set(Unit.objects.subtree(committee).values_list("kind", flat=True))
        assert kinds >= {k.value for k in UnitKind}
        assert (
            Unit.objects.subtree(committee).filter(
                kind=UnitKind.MASS_ORGANISATION, level="province"
            )
        ).count() == 5
    assert Unit.objects.filter(name="Bộ Chính trị").exists()
    assert Unit.objects.filter(name="Ban Dân vận Trung ương").exists()
    assert Unit.objects.get_children(Unit.objects.get(name="Thị ủy Đức Phổ")).count() > 15


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
