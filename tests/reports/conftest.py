"""A small fixed world whose figures are computed by hand in the tests.

Province A (from ``two_provinces``), figures as of 30/06/2024 (end of "6 tháng đầu năm
2024"); DUE_SOON_DAYS is 7.

| # | directive (issued) | task | unit | due (original) | completed | status on 30/06/2024 |
|---|---|---|---|---|---|---|
| a1 | D1 (01/11/2023) | t1 | front | 31/03 | 20/03 | done on time |
| a2 | D1 | t1 | commune | 31/03 | 10/04 | done late |
| a3 | D1 | t2 | front | 15/06 (30/04, extended) | 10/06 | done late (after the original date) |
| a4 | D1 | t2 | commune_front | 31/05 | — | overdue, 30 days |
| a9 | D1 | t1 | board | 30/06 | 05/07 (after the period) | due today |
| a5 | D2 (01/03/2024) | t3 | front | 03/07 | — | due soon (this week) |
| a6 | D2 | t3 | commune | 30/09 | — | not yet due |
| a7 | D2 | t4 | board | ongoing | — | ongoing |
| a8 | D2 | t4 | commune_front | 01/05 | — | cancelled |
| a10 | D3 (01/08/2024, after the period) | t5 | front | 30/09 | — | not counted |
| a11 | draft directive | t6 | front | 31/03 | — | not counted |
| b1 | province B | | B's front | 31/03 | — | overdue, never in A's figures |

"Hội Nông dân tỉnh" (farmers) is a unit of A with no assignment at all.
Targets: t2 aims at 100 "hộ": a3's latest accepted value by 30/06 is 45 (a later value of
60 was returned), a4's is 10 (its 20 of 15/07 is after the period) → 55 achieved, 55 %.
t4 aims at 10; its only live holder a7 has reported nothing (a8 is cancelled and its 5
does not count).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from directives.models import DeadlineKind, DirectiveKind, DirectiveStatus, ReportStatus
from reports.models import PeriodKind, ReportingPeriod
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    ProgressReportFactory,
    TaskFactory,
    UnitFactory,
)
from units.models import UnitKind

D = datetime.date


@pytest.fixture
def world(two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    farmers = UnitFactory(
        name="Hội Nông dân tỉnh", kind=UnitKind.MASS_ORGANISATION, parent=a["committee"]
    )
    d1 = DirectiveFactory(
        issuer=a["committee"], kind=DirectiveKind.KL, number="1", issued_on=D(2023, 11, 1),
        subject="về công tác dân vận", term="XVII",
    )  # fmt: skip
    d2 = DirectiveFactory(
        issuer=a["committee"], kind=DirectiveKind.KH, number="2", issued_on=D(2024, 3, 1)
    )
    d3 = DirectiveFactory(
        issuer=a["committee"], kind=DirectiveKind.CT, number="3", issued_on=D(2024, 8, 1)
    )
    draft = DirectiveFactory(
        issuer=a["committee"], number="4", issued_on=D(2024, 1, 10), status=DirectiveStatus.DRAFT
    )
    t1 = TaskFactory(directive=d1, section="1", title="Quán triệt", due_on=D(2024, 3, 31))
    t2 = TaskFactory(
        directive=d1, section="2", title="Hỗ trợ hộ nghèo", due_on=D(2024, 4, 30),
        target_indicator="Số hộ được hỗ trợ", target_unit="hộ", target_value=Decimal("100"),
    )  # fmt: skip
    t3 = TaskFactory(directive=d2, section="1", title="Xây dựng mô hình", due_on=D(2024, 9, 30))
    t4 = TaskFactory(
        directive=d2, section="2", title="Dân vận khéo", deadline_kind=DeadlineKind.ONGOING,
        due_on=None, target_indicator="Mô hình", target_value=Decimal("10"),
    )  # fmt: skip
    t5 = TaskFactory(directive=d3, section="1", title="Sau kỳ", due_on=D(2024, 9, 30))
    t6 = TaskFactory(directive=draft, section="1", title="Dự thảo", due_on=D(2024, 3, 31))

    def asg(task, unit, due, original=None, completed=None, **kw):
        return AssignmentFactory(
            task=task, unit=unit, due_on=due, original_due_on=original or due,
            completed_on=completed, **kw,
        )  # fmt: skip

    w = {
        "a1": asg(t1, a["front"], D(2024, 3, 31), completed=D(2024, 3, 20)),
        "a2": asg(t1, a["commune"], D(2024, 3, 31), completed=D(2024, 4, 10)),
        "a3": asg(
            t2, a["front"], D(2024, 6, 15), original=D(2024, 4, 30), completed=D(2024, 6, 10)
        ),
        "a4": asg(t2, a["commune_front"], D(2024, 5, 31)),
        "a9": asg(t1, a["board"], D(2024, 6, 30), completed=D(2024, 7, 5)),
        "a5": asg(t3, a["front"], D(2024, 7, 3)),
        "a6": asg(t3, a["commune"], D(2024, 9, 30)),
        "a7": asg(t4, a["board"], None, ongoing=True),
        "a8": asg(t4, a["commune_front"], D(2024, 5, 1), cancelled=True),
        "a10": asg(t5, a["front"], D(2024, 9, 30)),
        "a11": asg(t6, a["front"], D(2024, 3, 31)),
    }
    b_directive = DirectiveFactory(issuer=b["committee"], number="9", issued_on=D(2024, 1, 5))
    w["b1"] = asg(
        TaskFactory(directive=b_directive, title="Việc của tỉnh B", due_on=D(2024, 3, 31)),
        b["front"],
        D(2024, 3, 31),
    )

    def report(assignment, day, value, status=ReportStatus.ACCEPTED):
        return ProgressReportFactory(
            assignment=assignment, reported_on=day, indicator_value=Decimal(value), status=status,
            author=a["staff"],
        )  # fmt: skip

    report(w["a3"], D(2024, 3, 1), 30)
    report(w["a3"], D(2024, 5, 1), 45)
    report(w["a3"], D(2024, 6, 20), 60, status=ReportStatus.RETURNED)
    report(w["a4"], D(2024, 2, 1), 10)
    report(w["a4"], D(2024, 7, 15), 20)
    report(w["a8"], D(2024, 4, 1), 5)
    # The migration adds the standard periods, but transactional tests flush them.
    period, _created = ReportingPeriod.objects.get_or_create(
        kind=PeriodKind.FIRST_HALF,
        start_on=D(2024, 1, 1),
        end_on=D(2024, 6, 30),
        directive=None,
        defaults={"label": "6 tháng đầu năm 2024"},
    )
    return {
        **two_provinces,
        **w,
        "farmers": farmers,
        "d1": d1,
        "d2": d2,
        "d3": d3,
        "t2": t2,
        "t4": t4,
        "period": period,
        "b_directive": b_directive,
    }
