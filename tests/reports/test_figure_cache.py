"""Stored dashboard figures: the change counts the database triggers keep, figures that are
current exactly while those counts stand, the background refresh of slow slices by a real
worker, and the periodic job that keeps viewed slices current."""

from __future__ import annotations

import datetime
import re
import threading
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directives.models import Assignment, ReportStatus
from reports import figure_cache
from reports.aggregates import Slice, figures_compute
from reports.figure_cache import figures_for, figures_keep_warm, params_key, version_of
from reports.models import FigureCache, FigureVersion
from tests.factories import AssignmentFactory, DirectiveFactory, ProgressReportFactory, TaskFactory

D = datetime.date
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def versions(world) -> tuple[int, int]:
    return version_of(world["a"]["committee"].path), version_of(world["b"]["committee"].path)


def a_slice(world) -> Slice:
    return Slice(path=world["a"]["committee"].path, as_of=D(2024, 6, 30), start=D(2024, 1, 1))


def recount(world, s: Slice) -> dict:
    """The figures computed directly, trimmed as stored figures are."""
    return figure_cache._for_page(
        figures_compute(s=s, root=world["a"]["committee"], overdue_limit=20)
    )


# --- The change counts ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_change_counts_for_its_own_province_only(world):
    a_before, b_before = versions(world)
    world["a4"].completed_on = D(2024, 6, 1)
    world["a4"].save()
    a_after, b_after = versions(world)
    assert a_after > a_before
    assert b_after == b_before


@pytest.mark.django_db
def test_an_update_that_changes_nothing_the_figures_read_counts_for_nothing(world):
    before = versions(world)
    Assignment.objects.filter(pk=world["a4"].pk).update(last_reported_on=D(2024, 6, 2))
    assert versions(world) == before


@pytest.mark.django_db
def test_a_bulk_update_counts_once_per_branch(world):
    before = {v.branch: v.version for v in FigureVersion.objects.all()}
    Assignment.objects.filter(unit__path__startswith=world["a"]["committee"].path).update(
        progress=50
    )
    after = {v.branch: v.version for v in FigureVersion.objects.all()}
    changed = {branch: after[branch] - before.get(branch, 0) for branch in after}
    a_branches = {u.path for u in (world["a"]["front"], world["a"]["commune"], world["a"]["board"])}
    # front, commune (with its Front) and the board each hold assignments of A: one each.
    assert {b for b, n in changed.items() if n} == a_branches
    assert set(changed[b] for b in a_branches) == {1}


@pytest.mark.django_db
def test_directives_tasks_and_reports_count_too(world):
    a, b = versions(world)
    world["d1"].subject = "về công tác dân vận (sửa)"
    world["d1"].save()
    a2, b2 = versions(world)
    assert a2 > a and b2 > b  # directives are shared: every slice counts them
    ProgressReportFactory(
        assignment=world["a4"], reported_on=D(2024, 6, 1), indicator_value=Decimal(12),
        status=ReportStatus.ACCEPTED, author=world["a"]["staff"],
    )  # fmt: skip
    a3, b3 = versions(world)
    assert a3 > a2 and b3 == b2


# --- Current figures --------------------------------------------------------------------


@pytest.mark.django_db
def test_stored_figures_are_served_while_current_and_equal_a_recount(world):
    s = a_slice(world)
    root = world["a"]["committee"]
    first = figures_for(s, root=root, overdue_limit=20)
    assert first.current and first.figures == recount(world, s)
    with CaptureQueriesContext(connection) as queries:
        again = figures_for(s, root=root, overdue_limit=20)
    assert again.current and again.figures == first.figures
    assert len(queries) == 2  # the version and the stored row: nothing recomputed


@pytest.mark.django_db
def test_a_change_makes_the_figures_computed_again(world):
    s = a_slice(world)
    root = world["a"]["committee"]
    before = figures_for(s, root=root, overdue_limit=20)
    assert before.figures["counts"]["overdue"] == 1
    world["a4"].completed_on = D(2024, 6, 20)
    world["a4"].save()
    after = figures_for(s, root=root, overdue_limit=20)
    assert after.current
    assert after.figures["counts"]["overdue"] == 0
    assert after.figures == recount(world, s)


@pytest.mark.django_db
def test_a_change_elsewhere_leaves_the_figures_stored(world):
    s = a_slice(world)
    figures_for(s, root=world["a"]["committee"], overdue_limit=20)
    stored_at = FigureCache.objects.get().computed_at
    world["b1"].completed_on = D(2024, 3, 1)
    world["b1"].save()
    with CaptureQueriesContext(connection) as queries:
        again = figures_for(s, root=world["a"]["committee"], overdue_limit=20)
    assert again.current and len(queries) == 2
    assert FigureCache.objects.get().computed_at == stored_at


@pytest.mark.django_db
def test_an_older_computation_never_replaces_a_newer_one(world):
    s = a_slice(world)
    params = figure_cache.slice_params(s, root_id=world["a"]["committee"].pk, overdue_limit=20)
    key = params_key(params)
    figure_cache._store(key, params, 10, {"marker": "new"}, 5)
    figure_cache._store(key, params, 9, {"marker": "old"}, 5)
    assert FigureCache.objects.get(key=key).figures == {"marker": "new"}
    figure_cache._store(key, params, 11, {"marker": "newer"}, 5)
    assert FigureCache.objects.get(key=key).figures == {"marker": "newer"}


@pytest.mark.django_db
def test_the_dashboard_page_shows_stored_figures_with_few_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["a"]["viewer"])
    page = reverse("reports:dashboard") + f"?period={world['period'].pk}"
    client.get(page)
    with django_assert_max_num_queries(12):
        response = client.get(page)
    assert response.context["stored"].current
    assert b'data-testid="figures-stale"' not in response.content


# --- Slow slices: shown with their time while a worker refreshes them --------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_slow_slice_is_shown_stale_then_refreshed_by_a_worker(world, client):
    from config.celery import app

    client.force_login(world["a"]["viewer"])
    page = reverse("reports:dashboard") + f"?period={world['period'].pk}"
    client.get(page)
    # Pretend the last computation was slow, as a national one is, and a while ago.
    FigureCache.objects.update(
        duration_ms=settings.FIGURES_INLINE_LIMIT_MS + 1,
        computed_at=timezone.now() - datetime.timedelta(minutes=20),
    )
    world["a4"].completed_on = D(2024, 6, 20)
    world["a4"].save()
    app.control.purge()
    response = client.get(page, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    stored = response.context["stored"]
    assert not stored.current and stored.refreshing
    assert stored.figures["counts"]["overdue"] == 1  # the figures as computed before
    assert 'data-testid="figures-stale"' in html and 'hx-trigger="load delay:4s"' in html
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if FigureCache.objects.get().refresh_claimed_at is None:
                break
            time.sleep(0.2)
    response = client.get(page, HTTP_HX_REQUEST="true")
    assert response.context["stored"].current
    assert response.context["figures"]["counts"]["overdue"] == 0
    assert b'data-testid="figures-stale"' not in response.content


@pytest.mark.django_db
def test_a_second_viewer_does_not_queue_a_second_refresh(world, django_capture_on_commit_callbacks):
    s = a_slice(world)
    root = world["a"]["committee"]
    figures_for(s, root=root, overdue_limit=20)
    FigureCache.objects.update(
        duration_ms=settings.FIGURES_INLINE_LIMIT_MS + 1,
        computed_at=timezone.now() - datetime.timedelta(minutes=20),
    )
    world["a4"].completed_on = D(2024, 6, 20)
    world["a4"].save()
    with django_capture_on_commit_callbacks() as first:
        one = figures_for(s, root=root, overdue_limit=20)
    with django_capture_on_commit_callbacks() as second:
        two = figures_for(s, root=root, overdue_limit=20)
    assert (len(first), len(second)) == (1, 0)
    assert one.refreshing and two.refreshing and not two.current


@pytest.mark.django_db
def test_a_slow_slice_is_computed_again_no_sooner_than_its_spacing_allows():
    now = timezone.now()
    second = datetime.timedelta(seconds=1)
    row = FigureCache(duration_ms=60_000, computed_at=now - second)
    # A minute to compute, computed a second ago: the next one starts 10 minutes after it.
    assert figure_cache.refresh_delay(row, now) == pytest.approx(599, abs=0.01)
    row.computed_at = now - datetime.timedelta(minutes=11)
    assert figure_cache.refresh_delay(row, now) == 0
    # Quicker ones: never more often than every five minutes.
    row.computed_at, row.duration_ms = now - second, 2_000
    assert figure_cache.refresh_delay(row, now) == pytest.approx(299, abs=0.01)


@pytest.mark.django_db
def test_a_slow_slice_is_queued_again_only_once_its_spacing_has_passed(
    world, django_capture_on_commit_callbacks
):
    s = a_slice(world)
    root = world["a"]["committee"]
    figures_for(s, root=root, overdue_limit=20)
    # Slow (a minute and more), computed a moment ago.
    slow = settings.FIGURES_INLINE_LIMIT_MS + 1
    FigureCache.objects.update(duration_ms=slow, computed_at=timezone.now())
    world["a4"].completed_on = D(2024, 6, 20)
    world["a4"].save()
    with django_capture_on_commit_callbacks() as early:
        stored = figures_for(s, root=root, overdue_limit=20)
    assert not stored.current and not stored.refreshing and not early
    assert FigureCache.objects.get().refresh_claimed_at is None
    wait = max(10 * slow / 1000, figure_cache.MIN_REFRESH_INTERVAL.total_seconds())
    FigureCache.objects.update(computed_at=timezone.now() - datetime.timedelta(seconds=wait - 5))
    with django_capture_on_commit_callbacks() as still_early:
        figures_for(s, root=root, overdue_limit=20)
    assert not still_early
    # Once the spacing has passed, the next view queues it.
    FigureCache.objects.update(computed_at=timezone.now() - datetime.timedelta(seconds=wait + 1))
    with django_capture_on_commit_callbacks() as later:
        stored = figures_for(s, root=root, overdue_limit=20)
    assert stored.refreshing and len(later) == 1


@pytest.mark.django_db(transaction=True)
def test_two_first_views_of_a_slice_at_once_compute_it_once(world, monkeypatch):
    s = a_slice(world)
    root = world["a"]["committee"]
    computed = []
    real = figure_cache.figures_compute

    def slow_compute(**kwargs):
        computed.append(threading.get_ident())
        time.sleep(0.5)  # long enough for the other request to arrive meanwhile
        return real(**kwargs)

    monkeypatch.setattr(figure_cache, "figures_compute", slow_compute)
    results = []

    def view():
        try:
            results.append(figures_for(s, root=root, overdue_limit=20))
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(computed) == 1
    assert [r.current for r in results] == [True, True]
    assert results[0].figures == results[1].figures == recount(world, s)


@pytest.mark.django_db
def test_the_download_reads_every_row_stored_and_says_when_it_was_computed(client, world):
    client.force_login(world["a"]["viewer"])
    query = f"?period={world['period'].pk}"
    client.get(reverse("reports:dashboard_xlsx") + query)
    first = FigureCache.objects.get()
    assert first.params["whole"] is True and "totals" not in first.figures
    # Out of date and slow: the download gives the stored figures with their time, and a
    # worker is asked to compute them again, instead of computing them in the request.
    FigureCache.objects.update(
        duration_ms=settings.FIGURES_INLINE_LIMIT_MS + 1,
        computed_at=timezone.now() - datetime.timedelta(minutes=20),
        workbook=None,  # as storing figures does
    )
    world["a4"].completed_on = D(2024, 6, 20)
    world["a4"].save()
    row = FigureCache.objects.get()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:dashboard_xlsx") + query)
    assert not any("progressreport" in q["sql"] for q in queries.captured_queries)
    from io import BytesIO

    from openpyxl import load_workbook

    summary = load_workbook(BytesIO(response.content)).worksheets[0]
    cells = {r[0]: r[1] for r in summary.iter_rows(min_row=2, values_only=True)}
    computed_at = timezone.localtime(row.computed_at).strftime("%H:%M %d/%m/%Y")
    assert cells["Tính lúc"] == computed_at
    assert cells["Quá hạn"] == 1  # the figures as stored, before the change
    assert FigureCache.objects.get().refresh_claimed_at is not None


@pytest.mark.django_db
def test_the_download_is_written_once_per_computation(client, world):
    from io import BytesIO

    from openpyxl import load_workbook

    def overdue(content: bytes) -> int:
        summary = load_workbook(BytesIO(content)).worksheets[0]
        return {r[0]: r[1] for r in summary.iter_rows(min_row=2, values_only=True)}["Quá hạn"]

    client.force_login(world["a"]["viewer"])
    download = reverse("reports:dashboard_xlsx") + f"?period={world['period'].pk}"
    first = client.get(download).content
    kept = FigureCache.objects.get(params__whole=True).workbook
    assert bytes(kept) == first and overdue(first) == 1
    assert client.get(download).content == first
    # A change: the figures are computed again and so is the workbook.
    world["a4"].completed_on = D(2024, 6, 20)
    world["a4"].save()
    again = client.get(download).content
    assert overdue(again) == 0
    assert bytes(FigureCache.objects.get(params__whole=True).workbook) == again


@pytest.mark.django_db
def test_a_first_view_of_slow_units_is_left_to_a_worker_and_shown_when_ready(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["a"]["viewer"])
    page = reverse("reports:dashboard") + f"?period={world['period'].pk}"
    client.get(page)
    # The province's overview took longer than a first view may wait, as a national one does.
    FigureCache.objects.update(duration_ms=settings.FIGURES_FIRST_VIEW_LIMIT_MS + 1)
    filtered = page + f"&kind={world['d1'].kind}"
    with django_capture_on_commit_callbacks() as queued:
        response = client.get(filtered, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and response.context["stored"].pending
    assert 'data-testid="figures-pending"' in html and 'hx-trigger="load delay:4s"' in html
    assert "đang được tính lần đầu" in html and 'data-testid="kpi-total"' not in html
    assert world["a"]["committee"].name in html  # the title names the unit meanwhile
    assert len(queued) == 1
    # Asking again while it waits queues nothing more.
    with django_capture_on_commit_callbacks() as again:
        assert client.get(filtered, HTTP_HX_REQUEST="true").context["stored"].pending
    assert not again
    # What the worker runs: then the page shows the figures, equal to a recount.
    pending = FigureCache.objects.get(version=figure_cache.PENDING_VERSION)
    assert figure_cache.figures_refresh(pending.params)
    response = client.get(filtered, HTTP_HX_REQUEST="true")
    stored = response.context["stored"]
    assert stored.current and not stored.pending
    assert b'data-testid="kpi-total"' in response.content
    s = figure_cache.params_slice(pending.params)
    assert stored.figures == recount(world, s)


@pytest.mark.django_db
def test_a_first_view_of_units_quick_enough_is_computed_in_the_request(client, world, settings):
    settings.FIGURES_INLINE_LIMIT_MS = 500
    settings.FIGURES_FIRST_VIEW_LIMIT_MS = 2000
    client.force_login(world["a"]["viewer"])
    page = reverse("reports:dashboard") + f"?period={world['period'].pk}"
    client.get(page)
    # Slower than the refresh limit, quicker than a first view may wait: computed now.
    FigureCache.objects.update(duration_ms=1500)
    response = client.get(page + f"&kind={world['d1'].kind}", HTTP_HX_REQUEST="true")
    stored = response.context["stored"]
    assert stored.current and not stored.pending
    assert b'data-testid="kpi-total"' in response.content


@pytest.mark.django_db
def test_a_first_download_of_slow_units_asks_to_come_back(client, world):
    client.force_login(world["a"]["viewer"])
    query = f"?period={world['period'].pk}"
    client.get(reverse("reports:dashboard") + query)
    FigureCache.objects.update(duration_ms=settings.FIGURES_FIRST_VIEW_LIMIT_MS + 1)
    response = client.get(reverse("reports:dashboard_xlsx") + query)
    assert response.status_code == 409
    assert "Vui lòng tải lại sau khoảng một phút" in response.content.decode()
    assert FigureCache.objects.filter(version=figure_cache.PENDING_VERSION).count() == 1


# --- The periodic job -------------------------------------------------------------------


@pytest.mark.django_db
def test_keep_warm_refreshes_stale_slices_and_carries_live_ones_to_the_new_day(world):
    root = world["a"]["committee"]
    with time_machine.travel(datetime.datetime(2024, 6, 30, 9, tzinfo=HANOI), tick=False):
        live = Slice(path=root.path, as_of=D(2024, 6, 30), start=D(2024, 1, 1))
        figures_for(live, root=root, overdue_limit=20)
        assert FigureCache.objects.get().params["live"] is True
    with time_machine.travel(datetime.datetime(2024, 7, 1, 0, 10, tzinfo=HANOI), tick=False):
        done = figures_keep_warm()
        assert done["carried"] == 1
        today = Slice(path=root.path, as_of=D(2024, 7, 1), start=D(2024, 1, 1))
        with CaptureQueriesContext(connection) as queries:
            stored = figures_for(today, root=root, overdue_limit=20)
        assert stored.current and len(queries) == 2
        assert stored.figures == recount(world, today)
        # A change, then the job: the slice is current again without anyone viewing it.
        world["a6"].completed_on = D(2024, 7, 1)
        world["a6"].save()
        assert figures_keep_warm()["refreshed"] == 1
        stored = figures_for(today, root=root, overdue_limit=20)
        assert stored.current and stored.figures == recount(world, today)
        assert figures_keep_warm() == {"refreshed": 0, "carried": 0, "forgotten": 0}


@pytest.mark.django_db
def test_keep_warm_leaves_slices_not_viewed_lately_alone(world):
    s = a_slice(world)
    figures_for(s, root=world["a"]["committee"], overdue_limit=20)
    long_ago = timezone.now() - figure_cache.KEEP_WARM - datetime.timedelta(hours=1)
    FigureCache.objects.update(viewed_at=long_ago)
    world["a4"].completed_on = D(2024, 6, 20)
    world["a4"].save()
    assert figures_keep_warm()["refreshed"] == 0
    # A refresh does not count as a view either.
    figure_cache.figures_refresh(FigureCache.objects.get().params)
    assert FigureCache.objects.get().viewed_at == long_ago


@pytest.mark.django_db
def test_keep_warm_forgets_slices_nobody_looks_at(world):
    figures_for(a_slice(world), root=world["a"]["committee"], overdue_limit=20)
    FigureCache.objects.update(viewed_at=timezone.now() - datetime.timedelta(days=15))
    assert figures_keep_warm()["forgotten"] == 1
    assert not FigureCache.objects.exists()


# --- Long lists -------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_shows_the_first_directives_and_the_download_all(client, world):
    committee = world["a"]["committee"]
    for n in range(35):
        directive = DirectiveFactory(issuer=committee, number=str(100 + n), issued_on=D(2024, 2, 1))
        task = TaskFactory(directive=directive, due_on=D(2024, 12, 31))
        AssignmentFactory(task=task, unit=world["a"]["front"], due_on=D(2024, 12, 31))
    client.force_login(world["a"]["viewer"])
    query = f"?period={world['period'].pk}"
    response = client.get(reverse("reports:dashboard") + query)
    html = response.content.decode()
    # D1 and D2 of the fixed world and the 35 new ones; D3 is issued after the period.
    assert html.count('data-testid="drill-directive"') == figure_cache.PAGE_ROWS
    more = html.split('data-testid="directives-more"')[1][:200]
    assert "37" in more
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(client.get(reverse("reports:dashboard_xlsx") + query).content))
    codes = [row[0] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert len([c for c in codes if c]) == 37


# --- The unit drop-down -----------------------------------------------------------------


@pytest.mark.django_db
def test_unit_drop_down_offers_a_path_down_the_tree(client, world):
    from tests.factories import UserFactory
    from units.models import Role

    admin = UserFactory(unit=None, role=Role.ADMIN, is_staff=True)
    client.force_login(admin)

    def offered(query: str) -> set[int]:
        response = client.get(reverse("reports:dashboard") + query)
        assert response.status_code == 200
        html = response.content.decode()
        select = html.split('name="unit"')[1].split("</select>")[0]
        return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select)}

    a = world["a"]
    top = offered("")
    assert {a["committee"].pk, a["commune"].pk, world["b"]["committee"].pk} <= top
    assert a["commune_front"].pk not in top  # a level further down: offered on the way
    assert a["commune_front"].pk in offered(f"?unit={a['commune'].pk}")
    # Any unit in scope is still accepted from a link.
    assert a["commune_front"].pk in offered(f"?unit={a['commune_front'].pk}")
