"""The world of the API tests."""

from __future__ import annotations

import datetime

import pytest

from directives.status import local_today
from tests.factories import AssignmentFactory, DirectiveFactory, TaskFactory


@pytest.fixture
def work(two_provinces):
    """In each province: a directive of the committee with an overdue assignment and a
    not-yet-due one for the Front."""
    today = local_today()
    out = {}
    for key in ("a", "b"):
        side = two_provinces[key]
        directive = DirectiveFactory(issuer=side["committee"], number=f"{key}1")
        late = AssignmentFactory(
            task=TaskFactory(directive=directive, title=f"Việc trễ {key}"),
            unit=side["front"],
            due_on=today - datetime.timedelta(days=10),
        )
        later = AssignmentFactory(
            task=TaskFactory(directive=directive, title=f"Việc sau {key}"),
            unit=side["front"],
            due_on=today + datetime.timedelta(days=60),
        )
        out[key] = {"directive": directive, "late": late, "later": later}
    return two_provinces, out
