from __future__ import annotations

import pytest
from django.db import IntegrityError

from tests.factories import UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "manage", "report", "read_only"),
    [
        (Role.STAFF, False, True, False),
        (Role.LEADER, False, True, False),
        (Role.MONITOR, True, False, False),
        (Role.VIEWER, False, False, True),
        (Role.INSPECTOR, False, False, True),
        (Role.ADMIN, True, False, False),
    ],
)
def test_each_role_has_its_own_rights(role, manage, report, read_only):
    user = UserFactory(role=role)
    assert user.can_manage_directives is manage
    assert user.can_report_progress is report
    assert user.is_read_only is read_only


def test_only_leaders_approve_for_their_unit():
    assert UserFactory(role=Role.LEADER).can_approve_for_unit
    assert not UserFactory(role=Role.STAFF).can_approve_for_unit


def test_a_user_other_than_an_administrator_needs_a_unit():
    with pytest.raises(IntegrityError):
        UserFactory(role=Role.STAFF, unit=None)


def test_full_name_puts_the_family_name_first():
    assert UserFactory(first_name="Hương", last_name="Trần Thị").get_full_name() == (
        "Trần Thị Hương"
    )
