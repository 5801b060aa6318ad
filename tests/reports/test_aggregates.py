"""Every figure against values computed by hand on the world of conftest.py."""

from __future__ import annotations

import datetime

import pytest

from reports import aggregates as agg

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def s(world):
    return agg.Slice(path=world["a"]["committee"].path, as_of=D(2024, 6, 30), start=D(2024, 1, 1))


def test_status_counts_on_the_period_end(s):
    counts = agg.status_counts(s)
    assert {k: counts[k] for k in agg.STATUS_KEYS} == {
        "not_due": 1, "due_soon": 1, "due_today": 1, "overdue": 1, "done_on_time": 1,
        "done_late": 2, "ongoing": 1, "cancelled": 1,
    }  # fmt: skip
    # Cancelled, a directive issued after the period and a draft are not assignments here.
    assert counts["total"] == 8
    assert counts["done"] == 3
    assert counts["open"] == 5


def test_on_time_rate_is_on_time_over_completed_with_the_original_date(s):
    # a1 on time; a2 late; a3 finished before its extended date but after the original.
    assert agg.on_time_rate(s) == 33.3


def test_on_time_rate_is_none_when_nothing_is_completed(s, world):
    before = s.at(D(2023, 12, 31))
    assert agg.on_time_rate(before) is None


def test_completion_after_the_period_end_is_not_counted(s, world):
    # a9 was completed on 05/07, after the period: on 30/06 it was due that day.
    rows = agg.due_this_week(s)
    assert [r["pk"] for r in rows] == [world["a9"].pk, world["a5"].pk]
    assert [r["due_on"] for r in rows] == ["2024-06-30", "2024-07-03"]


def test_overdue_list_with_days(s, world):
    rows = agg.overdue_list(s)
    assert [(r["pk"], r["days_overdue"], r["unit"]) for r in rows] == [
        (world["a4"].pk, 30, "MTTQ xã A")
    ]
    assert agg.overdue_count(s) == 1


def test_status_by_unit_rolls_each_child_subtree_and_lists_units_without_work(s, world):
    rows = {r["unit"]: r for r in agg.status_by_unit(s)}
    assert list(rows) == [
        "Ban Dân vận Tỉnh ủy",
        "Ủy ban MTTQ Việt Nam tỉnh Hải Dương",
        "Đảng ủy xã A",
        "Hội Nông dân tỉnh",
    ]
    board, front, commune, farmers = rows.values()
    assert (board["total"], board["ongoing"], board["due_today"], board["on_time_rate"]) == (
        2, 1, 1, None,
    )  # fmt: skip
    assert (front["total"], front["done_on_time"], front["done_late"], front["due_soon"]) == (
        3, 1, 1, 1,
    )  # fmt: skip
    assert front["on_time_rate"] == 50.0
    # The commune's row holds its Front's overdue and cancelled assignments.
    assert (commune["total"], commune["overdue"], commune["cancelled"], commune["not_due"]) == (
        3, 1, 1, 1,
    )  # fmt: skip
    assert commune["on_time_rate"] == 0.0
    assert farmers["total"] == 0 and farmers["on_time_rate"] is None


def test_ranking_puts_best_rate_first_and_leaves_out_units_without_work(s):
    ranking = agg.unit_ranking(agg.status_by_unit(s), min_due=1)
    assert [r["unit"] for r in ranking] == [
        "Ủy ban MTTQ Việt Nam tỉnh Hải Dương",
        "Đảng ủy xã A",
        "Ban Dân vận Tỉnh ủy",
    ]


def test_status_by_directive(s, world):
    rows = agg.status_by_directive(s)
    assert [r["code"] for r in rows] == ["2-KH/TU", "1-KL/TU"]
    d2, d1 = rows
    assert (d1["total"], d1["done"], d1["overdue"], d1["progress"]) == (5, 3, 1, 60.0)
    assert (d2["total"], d2["done"], d2["cancelled"], d2["progress"]) == (3, 0, 1, 0.0)


def test_indicator_totals_use_the_latest_accepted_value_by_the_period_end(s, world):
    rows = {r["task_id"]: r for r in agg.indicator_totals(s)}
    t2 = rows[world["t2"].pk]
    assert (t2["target"], t2["achieved"], t2["percent"]) == (100.0, 55.0, 55.0)
    assert (t2["reporting"], t2["holders"], t2["measure"]) == (2, 2, "hộ")
    t4 = rows[world["t4"].pk]
    assert (t4["target"], t4["achieved"], t4["percent"], t4["holders"]) == (10.0, None, None, 1)


def test_change_since_the_day_before_the_period(s):
    change = agg.change_since_previous(s)
    assert change["previous_as_of"] == "2023-12-31"
    assert change["total"] == {"now": 8, "before": 5, "delta": 3}
    assert change["done"] == {"now": 3, "before": 0, "delta": 3}
    assert change["overdue"] == {"now": 1, "before": 0, "delta": 1}
    assert change["on_time_rate"] == {"now": 33.3, "before": None, "delta": None}


def test_monthly_trend_matches_status_counts_of_each_month_end(s):
    trend = agg.monthly_trend(s)
    assert [t["month"] for t in trend][:2] == ["07/2023", "08/2023"]
    assert trend[-1]["month"] == "06/2024"
    by_month = {t["month"]: t for t in trend}
    assert by_month["10/2023"]["total"] == 0
    assert by_month["11/2023"]["total"] == 5 and by_month["11/2023"]["on_time_rate"] is None
    march = by_month["03/2024"]
    assert (march["total"], march["done_on_time"], march["done_late"], march["overdue"]) == (
        8, 1, 0, 0,
    )  # fmt: skip
    assert march["on_time_rate"] == 100.0
    april = by_month["04/2024"]
    assert (april["done_on_time"], april["done_late"], april["on_time_rate"]) == (1, 1, 50.0)
    assert by_month["05/2024"]["overdue"] == 0  # a4 is due that very day
    june = by_month["06/2024"]
    assert (june["total"], june["done_late"], june["overdue"], june["on_time_rate"]) == (
        8, 2, 1, 33.3,
    )  # fmt: skip
    # Each month agrees with status_counts for that day: one definition everywhere.
    for t in trend:
        counts = agg.status_counts(s.at(D.fromisoformat(t["as_of"])))
        assert (t["total"], t["overdue"], t["done_late"]) == (
            counts["total"], counts["overdue"], counts["done_late"],
        )  # fmt: skip


def test_filters_by_directive_and_type_and_subtree(s, world):
    from dataclasses import replace

    assert agg.status_counts(replace(s, directive_id=world["d2"].pk))["total"] == 3
    assert agg.status_counts(replace(s, kind="KL"))["total"] == 5
    commune = replace(s, path=world["a"]["commune"].path)
    counts = agg.status_counts(commune)
    assert (counts["total"], counts["overdue"], counts["done_late"]) == (3, 1, 1)


def test_other_province_never_counted(s, world):
    assert world["b1"].pk not in [r["pk"] for r in agg.overdue_list(s)]
    b = agg.Slice(path=world["b"]["committee"].path, as_of=D(2024, 6, 30))
    assert agg.status_counts(b)["total"] == 1


def _row(unit, on_time=0, late=0, overdue=0, open_=0):
    row = {key: 0 for key in agg.STATUS_KEYS}
    row.update(unit=unit, unit_id=unit, own=False)
    row["done_on_time"], row["done_late"], row["overdue"], row["not_due"] = (
        on_time,
        late,
        overdue,
        open_,
    )
    row["total"] = on_time + late + overdue + open_
    return agg._finish_counts(row)


def test_ranking_counts_overdue_work_against_a_unit():
    """The issue's example: 100 % of finished work on time but 10 overdue does not rank
    above 92.3 % with none overdue; two finished tasks do not make a unit first."""
    rows = [
        _row("Ủy ban MTTQ thị xã", on_time=5, overdue=10),
        _row("Phổ Thạnh", on_time=12, late=1),
        _row("Tỉnh", on_time=2),
        _row("Phổ Quang", overdue=13, open_=1),
    ]
    ranking = agg.unit_ranking(rows, min_due=5)
    names = [r["unit"] for r in ranking]
    assert names.index("Phổ Thạnh") < names.index("Ủy ban MTTQ thị xã")
    scores = {r["unit"]: r["score"] for r in ranking}
    assert scores["Phổ Thạnh"] == 92.3 and scores["Ủy ban MTTQ thị xã"] == 33.3
    assert scores["Phổ Quang"] == 0.0  # 13 overdue is ranked, last, not "—"
    assert scores["Tỉnh"] is None and names[-1] == "Tỉnh"  # below the minimum: "—"


def test_dashboard_explains_the_ranking_and_shows_overdue_beside_it(client, world, settings):
    from django.urls import reverse

    settings.RANKING_MIN_DUE = 1
    client.force_login(world["a"]["viewer"])
    html = client.get(
        reverse("reports:dashboard") + f"?period={world['period'].pk}"
    ).content.decode()
    assert 'data-testid="ranking-measure"' in html
    assert "÷ (hoàn thành + quá hạn)" in html
    assert 'data-testid="ranking-score">50,0 %<' in html
