"""The import review catches mistakes before anything is saved: a document already in
the system, a task nobody leads, a deadline already past, a collective lead; and the
review itself is kept per user until it is confirmed or discarded."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from directives.importing.duplicates import text_similarity
from directives.importing.groups import group_for_name
from directives.models import Assignment, AssignmentRole, Directive, ImportDraft
from directives.status import Status
from tests.directives.test_import_views import (
    SEED_004,
    SHORT_DIRECTIVE,
    START,
    _form_data,
    _post_text,
    _review_url,
    vi,
)
from tests.factories import DirectiveFactory, UnitFactory, UserFactory
from units.models import Role, UnitLevel


@pytest.fixture
def ducpho(db) -> dict:
    from tests.directives.test_import_apply import build_ducpho

    return build_ducpho()


def _review(client, text: str) -> tuple[str, dict]:
    url = _review_url(_post_text(client, text))
    return url, _form_data(client.get(url).context)


# ------------------------------------------------------------------- already imported


def test_a_second_import_warns_with_a_link_and_needs_a_deliberate_choice(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, data = _review(client, SHORT_DIRECTIVE)
    data["past_due_all"] = "track"
    assert client.post(url, data).status_code == 302
    first = Directive.objects.get()

    url, data = _review(client, SHORT_DIRECTIVE)
    page = client.get(url)
    body = page.content.decode()
    assert 'data-testid="import-duplicate"' in body
    assert reverse("directives:detail", args=[first.pk]) in body
    # Nearly the same text under another number is still the same document.
    data["past_due_all"] = "track"
    data["code"] = "13-KH/TU"
    response = client.post(url, data)
    assert response.status_code == 400
    assert vi("Import a new copy anyway") in response.content.decode()
    assert Directive.objects.count() == 1
    data["import_anyway"] = "on"
    assert client.post(url, data).status_code == 302
    assert Directive.objects.count() == 2


def test_the_same_text_is_recognised_despite_spacing_and_accents() -> None:
    text = SHORT_DIRECTIVE
    assert text_similarity(text, text.replace("\n", "  \n ").replace("ủy", "uỷ")) > 0.95
    assert text_similarity(text, SEED_004) < 0.1


def test_a_copy_the_user_may_not_see_is_treated_like_an_unknown_one(client, ducpho) -> None:
    """Another province holds the same text: nothing about it shows, not even a hint."""
    hidden = DirectiveFactory(
        code="12-KH/TU", issuer=ducpho["elsewhere"], full_text=SHORT_DIRECTIVE
    )
    assert not Directive.objects.visible_to(ducpho["monitor"]).filter(pk=hidden.pk).exists()
    client.force_login(ducpho["monitor"])
    url, data = _review(client, SHORT_DIRECTIVE)
    page = client.get(url)
    assert page.context["copies"] == []
    body = page.content.decode()
    assert 'data-testid="import-duplicate"' not in body
    assert reverse("directives:detail", args=[hidden.pk]) not in body
    data["past_due_all"] = "track"
    assert client.post(url, data).status_code == 302
    assert Directive.objects.count() == 2


# ------------------------------------------------------------------ leads and deadlines


def test_every_task_needs_a_lead_or_an_explicit_not_assigned(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, data = _review(client, SHORT_DIRECTIVE)
    data["past_due_all"] = "track"
    del data["tasks-1-lead"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert vi("Choose the lead unit, or tick “Not assigned yet”.") in response.content.decode()
    assert not Directive.objects.exists()
    data["tasks-1-unassigned"] = "on"
    assert client.post(url, data).status_code == 302
    task = Directive.objects.get().tasks.get(order=1)
    assert not task.assignments.exists()


def test_a_past_deadline_is_flagged_and_needs_a_decision(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, data = _review(client, SHORT_DIRECTIVE)  # due 30/6/2024: long past
    page = client.get(url).content.decode()
    assert 'data-testid="import-past-due"' in page and 'data-testid="past-due"' in page
    response = client.post(url, data)
    assert response.status_code == 400
    assert vi("The deadline had passed before the import: follow it or record it as history.") in (
        response.content.decode()
    )
    assert not Directive.objects.exists()
    data["tasks-0-past_due"] = "done"
    assert client.post(url, data).status_code == 302
    assignment = Assignment.objects.get(task__order=0)
    assert assignment.completed_on == datetime.date(2024, 6, 30)
    assert assignment.status == Status.DONE_ON_TIME


def test_a_past_deadline_may_be_recorded_as_no_longer_followed(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, data = _review(client, SHORT_DIRECTIVE)
    data["past_due_all"] = "untracked"
    assert client.post(url, data).status_code == 302
    assignment = Assignment.objects.get(task__order=0)
    assert assignment.cancelled and assignment.status == Status.CANCELLED
    # The quarterly duty has no single past deadline: it is followed as usual.
    assert not Assignment.objects.get(task__order=1).cancelled


# ------------------------------------------------------------------------ group leads


def test_collective_names_resolve_to_groups() -> None:
    assert group_for_name("Đảng ủy các xã, phường").key == "committees_commune"
    assert group_for_name("các cấp ủy, tổ chức đảng").key == "committees_all"
    assert group_for_name("Ban Dân vận các huyện ủy").key == "boards_dan_van_district"
    assert group_for_name("UBND các xã, phường").key == "peoples_committees_commune"
    assert group_for_name("Ban Dân vận Thị ủy") is None


def test_a_group_lead_shows_its_count_and_assigns_every_unit_in_scope(client, ducpho) -> None:
    outside = UnitFactory(name="Đảng ủy xã Xa", level=UnitLevel.COMMUNE, parent=ducpho["elsewhere"])
    closed = UnitFactory(
        name="Đảng ủy xã Cũ",
        level=UnitLevel.COMMUNE,
        parent=ducpho["town"],
        valid_to=datetime.date(2020, 1, 1),
    )
    client.force_login(ducpho["monitor"])
    url, data = _review(client, SEED_004)
    page = client.get(url)
    tasks = {f["section"].value(): f for f in page.context["formset"]}
    group_task = page.context["formset"].forms[13]
    assert group_task["lead_group"].value() == "committees_commune"
    assert group_task.group_count == 2
    assert re.search(r'data-testid="lead-group-count">[^<]*\b2\b', page.content.decode())
    assert tasks["II.2.1"]["lead_group"].value() == ""
    data.update({"tasks-16-unassigned": "on", "tasks-17-unassigned": "on"})
    data["past_due_all"] = "track"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:300]
    directive = Directive.objects.get()
    held = set(
        Assignment.objects.filter(
            task__directive=directive, task__order=13, role=AssignmentRole.LEAD
        ).values_list("unit_id", flat=True)
    )
    assert held == {u.pk for u in ducpho["communes"]}
    assert outside.pk not in held and closed.pk not in held


def test_a_group_with_no_unit_under_the_committee_is_refused(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, data = _review(client, SHORT_DIRECTIVE)
    data["past_due_all"] = "track"
    del data["tasks-0-lead"]
    data["tasks-0-lead_group"] = "boards_dan_van_district"
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Directive.objects.exists()


def test_a_lead_and_a_group_at_once_are_refused(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, data = _review(client, SHORT_DIRECTIVE)
    data["past_due_all"] = "track"
    data["tasks-0-lead_group"] = "committees_commune"
    assert client.post(url, data).status_code == 400
    assert not Directive.objects.exists()


# --------------------------------------------------------------------- the review page


def test_cited_dates_show_day_month_year(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, _data = _review(client, SHORT_DIRECTIVE)
    body = client.get(url).content.decode()
    cited = re.search(r'data-testid="import-references">(.*?)</ul>', body, re.S).group(1)
    assert "07/01/2019" in cited and "2019-01-07" not in cited


def test_the_pages_have_no_inline_script_or_event_handler(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, _data = _review(client, SEED_004)
    for body in (client.get(url).content.decode(), client.get(START).content.decode()):
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
        main = re.search(r"<main.*</main>", body, re.S).group(0)  # the page, not the frame
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", main)
        assert "<style" not in body


def test_coordinating_units_use_the_searchable_chooser(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, _data = _review(client, SEED_004)
    body = client.get(url).content.decode()
    coordinating = re.findall(r'<select[^>]*name="tasks-\d+-coordinating"[^>]*>', body)
    assert coordinating and all("data-unit-select" in tag for tag in coordinating)
    assert all("multiple" in tag for tag in coordinating)
    assert "js/import_review.js" in body


# ------------------------------------------------------------------ drafts, per user


def test_an_unsaved_review_survives_logging_in_again(client, ducpho) -> None:
    monitor = ducpho["monitor"]
    client.force_login(monitor)
    url, data = _review(client, SHORT_DIRECTIVE)
    data["subject"] = "về đối thoại (đang sửa)"
    data["issued_on"] = "31/02/2024"  # an error: what was typed is kept
    assert client.post(url, data).status_code == 400
    client.logout()
    client.force_login(monitor)
    start = client.get(START).content.decode()
    assert 'data-testid="import-drafts"' in start and url in start
    again = client.get(url)
    assert again.status_code == 200
    assert again.context["form"]["subject"].value() == "về đối thoại (đang sửa)"
    # Another monitor of the same board never sees it.
    client.force_login(UserFactory(unit=ducpho["board"], role=Role.MONITOR))
    assert client.get(url).status_code == 404
    assert url not in client.get(START).content.decode()


def test_discarding_a_review_deletes_it(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url, _data = _review(client, SHORT_DIRECTIVE)
    other = UserFactory(unit=ducpho["board"], role=Role.MONITOR)
    client.force_login(other)
    assert client.post(url, {"discard": "1"}).status_code == 404
    assert ImportDraft.objects.count() == 1
    client.force_login(ducpho["monitor"])
    response = client.post(url, {"discard": "1"})
    assert response.status_code == 302 and response["Location"] == START
    assert not ImportDraft.objects.exists() and not Directive.objects.exists()
    assert client.get(url).status_code == 404
