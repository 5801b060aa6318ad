"""The API's directives, import from text, tasks and assignments: written through the
pages' services (history, notices), scoped like the pages (404 outside, 403 when seen
but not allowed), bad input refused with a 400 in Vietnamese and nothing written."""

from __future__ import annotations

import pytest
from django.apps import apps

from api.models import api_key_create
from directives.models import Assignment, Directive, ImportDraft, Task
from notifications.models import Notification
from tests.api.test_api import API, auth, error_shape
from tests.directives.test_import_apply import build_ducpho
from tests.directives.test_import_views import SHORT_DIRECTIVE
from tests.factories import UnitFactory, UserFactory
from units.models import Role, UnitKind, UnitLevel

pytestmark = pytest.mark.django_db

DirectiveEvent = apps.get_model("directives", "DirectiveEvent")
TaskEvent = apps.get_model("directives", "TaskEvent")
AssignmentEvent = apps.get_model("directives", "AssignmentEvent")


def post(client, url: str, body: dict, **extra):
    return client.post(f"{API}{url}", body, content_type="application/json", **extra)


def vietnamese(text: str) -> bool:
    return any(ch in text for ch in "ăâđêôơưạảấầẩậắằẳặẹẻẽếềểệỉịọỏốồổộớờởợụủứừửựỳỷỹýàáèéìíòóùú")


# --- Directives ----------------------------------------------------------------------------


def new_directive(issuer, **extra) -> dict:
    return {
        "kind": "KL",
        "number": "56",
        "code": "56-KL/TU",
        "issuer": issuer.pk,
        "issued_on": "2025-03-14",
        "subject": "về tăng cường công tác dân vận trong tình hình mới",
        "recipients": ["Các huyện ủy", "Lưu Văn phòng"],
        "tasks": [
            {"section": "1", "title": "Tổ chức quán triệt", "due_on": "2025-06-30"},
            {
                "section": "2",
                "title": "Báo cáo hằng quý",
                "deadline_kind": "recurring",
                "due_on": "2025-06-30",
                "recurrence": "quarterly",
            },
        ],
        **extra,
    }


def test_a_monitor_enters_a_directive_with_its_tasks_through_the_service(client, work):
    world, _objects = work
    monitor = world["a"]["monitor"]
    _key, raw = api_key_create(user=monitor, name="Văn bản điều hành")
    response = post(client, "/directives/", new_directive(world["a"]["committee"]), **auth(raw))
    assert response.status_code == 201, response.content
    body = response.json()
    directive = Directive.objects.get(pk=body["id"])
    assert body["issued_on"] == "2025-03-14" and body["code"] == "56-KL/TU"
    assert directive.created_by == monitor
    assert directive.recipients == ["Các huyện ủy", "Lưu Văn phòng"]
    assert [(t.order, t.title, t.recurrence) for t in directive.tasks.order_by("order")] == [
        (1, "Tổ chức quán triệt", ""),
        (2, "Báo cáo hằng quý", "quarterly"),
    ]
    # The history the directive's page shows records the write.
    assert DirectiveEvent.objects.filter(pgh_obj_id=directive.pk).exists()
    assert TaskEvent.objects.filter(directive_id=directive.pk).count() == 2


def test_a_directive_is_refused_field_by_field_in_vietnamese(client, work):
    world, _objects = work
    client.force_login(world["a"]["monitor"])
    body = new_directive(world["a"]["committee"], issued_on="14/03/2025")
    answer = error_shape(post(client, "/directives/", body), 400)
    assert list(answer["errors"]) == ["issued_on"], answer
    assert vietnamese(answer["message"]) and vietnamese(answer["errors"]["issued_on"][0])
    # The page's form: the other province's committee is not a choice, a date task needs
    # its date.
    body = new_directive(world["b"]["committee"])
    body["tasks"][0].pop("due_on")
    answer = error_shape(post(client, "/directives/", body), 400)
    assert set(answer["errors"]) == {"issuer", "tasks.0.due_on"}, answer
    assert vietnamese(answer["errors"]["tasks.0.due_on"][0])
    assert not Directive.objects.filter(code="56-KL/TU").exists()


def test_only_monitors_enter_directives(client, work):
    world, _objects = work
    client.force_login(world["a"]["staff"])
    response = post(client, "/directives/", new_directive(world["a"]["committee"]))
    assert error_shape(response, 403)["code"] == "permission_denied"
    assert not Directive.objects.filter(code="56-KL/TU").exists()


# --- Import from text ----------------------------------------------------------------------


@pytest.fixture
def ducpho(db) -> dict:
    return build_ducpho()


def test_import_returns_the_proposal_then_confirm_creates_it(client, ducpho):
    monitor = ducpho["monitor"]
    client.force_login(monitor)
    response = post(client, "/directives/import/", {"text": SHORT_DIRECTIVE})
    assert response.status_code == 201, response.content
    draft = response.json()
    assert ImportDraft.objects.filter(user=monitor, key=draft["draft"]).exists()
    review = draft["review"]
    assert review["header"]["code"] == "12-KH/TU"
    assert review["header"]["issued_on"] == "2024-03-05"
    assert review["header"]["issuer"] == ducpho["town"].pk
    assert [t["deadline"] for t in review["tasks"]][:1] == ["2024-06-30"]
    assert not Directive.objects.filter(code="12-KH/TU").exists()
    # The draft reads back as it was proposed.
    again = client.get(f"{API}/directives/import/{draft['draft']}/")
    assert again.status_code == 200 and again.json()["review"] == review

    # The deadline of 30/06/2024 has passed: the review asks for a decision first.
    url = f"/directives/import/{draft['draft']}/confirm/"
    answer = error_shape(post(client, url, {}), 400)
    assert any(key.endswith("past_due") for key in answer["errors"]), answer
    tasks = [
        {**task, "lead": ducpho["committee"].pk, "lead_group": "", "past_due": "done"}
        if task["index"] == 0
        else {**task, "lead": None, "lead_group": "", "unassigned": True}
        for task in review["tasks"]
    ]
    response = post(client, url, {"tasks": tasks})
    assert response.status_code == 201, response.content
    directive = Directive.objects.get(pk=response.json()["id"])
    assert directive.code == "12-KH/TU" and directive.created_by == monitor
    assert Assignment.objects.filter(task__directive=directive, unit=ducpho["committee"]).exists()
    assert DirectiveEvent.objects.filter(pgh_obj_id=directive.pk).exists()
    assert not ImportDraft.objects.filter(key=draft["draft"]).exists()


def test_import_refusals(client, ducpho):
    monitor = ducpho["monitor"]
    client.force_login(monitor)
    answer = error_shape(post(client, "/directives/import/", {"text": "   "}), 400)
    assert vietnamese(" ".join(answer["errors"]["non_field_errors"]))
    answer = error_shape(post(client, "/directives/import/", {"text": "Xin chào."}), 422)
    assert answer["code"] == "not_a_directive"
    assert not ImportDraft.objects.exists()
    draft = post(client, "/directives/import/", {"text": SHORT_DIRECTIVE}).json()["draft"]
    # Another monitor's draft is not found; a staff member may not import at all.
    client.force_login(UserFactory(unit=ducpho["board"], role=Role.MONITOR))
    error_shape(client.get(f"{API}/directives/import/{draft}/"), 404)
    error_shape(post(client, f"/directives/import/{draft}/confirm/", {}), 404)
    client.force_login(UserFactory(unit=ducpho["front"], role=Role.STAFF))
    error_shape(post(client, "/directives/import/", {"text": SHORT_DIRECTIVE}), 403)
    error_shape(post(client, f"/directives/import/{draft}/confirm/", {}), 403)
    # A unit outside the monitor's reach is not a choice.
    client.force_login(monitor)
    url = f"/directives/import/{draft}/confirm/"
    answer = error_shape(post(client, url, {"header": {"issuer": ducpho["elsewhere"].pk}}), 400)
    assert "header.issuer" in answer["errors"]
    assert not Directive.objects.filter(code="12-KH/TU").exists()


# --- Tasks ---------------------------------------------------------------------------------


def test_tasks_of_a_directive_list_and_detail_show_only_visible_assignments(client, work):
    world, objects = work
    a = objects["a"]
    other = Assignment.objects.create(task=a["late"].task, unit=world["b"]["front"], due_on=None)
    client.force_login(world["a"]["monitor"])
    listed = client.get(f"{API}/directives/{a['directive'].pk}/tasks/").json()
    assert [t["id"] for t in listed["results"]] == [a["late"].task_id, a["later"].task_id]
    late = listed["results"][0]
    assert [x["id"] for x in late["assignments"]] == [a["late"].pk]
    assert late["status"] == "overdue" and other.pk not in [x["id"] for x in late["assignments"]]
    # A task that does not recur shows a blank recurrence, which its schema allows.
    assert late["recurrence"] == ""
    schema = client.get(f"{API}/schema/?format=json").json()["components"]["schemas"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in schema["Task"]["properties"]["recurrence"][
        "oneOf"
    ]
    detail = client.get(f"{API}/directives/{a['directive'].pk}/tasks/{a['late'].task_id}/")
    assert detail.status_code == 200 and detail["ETag"]
    b = objects["b"]
    error_shape(client.get(f"{API}/directives/{b['directive'].pk}/tasks/"), 404)
    error_shape(client.get(f"{API}/directives/{a['directive'].pk}/tasks/{b['late'].task_id}/"), 404)


def test_a_monitor_adds_a_task_through_the_service(client, work):
    world, objects = work
    directive = objects["a"]["directive"]
    client.force_login(world["a"]["monitor"])
    url = f"/directives/{directive.pk}/tasks/"
    last = max(directive.tasks.values_list("order", flat=True))
    body = {"section": "3", "title": "Xây dựng mô hình dân vận khéo", "due_on": "2025-12-31"}
    response = post(client, url, body)
    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["id"])
    assert (
        task.directive == directive
        and task.order == last + 1
        and task.due_on.isoformat() == "2025-12-31"
    )
    assert TaskEvent.objects.filter(pgh_obj_id=task.pk).exists()
    # Bad input: the directive form's rules, in Vietnamese; nothing added.
    answer = error_shape(post(client, url, {"title": "x", "deadline_kind": "recurring",
                                            "due_on": "2025-12-31"}), 400)  # fmt: skip
    assert "recurrence" in answer["errors"] and vietnamese(answer["errors"]["recurrence"][0])
    answer = error_shape(post(client, url, {**body, "title": "Khác"}), 400)
    assert "section" in answer["errors"]
    error_shape(post(client, url, {"title": "x", "target_value": "12"}), 400)
    assert directive.tasks.count() == 3
    # Out of scope 404; seen but not the user's to change 403.
    error_shape(post(client, f"/directives/{objects['b']['directive'].pk}/tasks/", body), 404)
    client.force_login(world["a"]["viewer"])
    error_shape(post(client, url, body), 403)
    assert directive.tasks.count() == 3


# --- Assignments ---------------------------------------------------------------------------


def test_a_task_is_given_to_one_unit_and_its_people_are_told(client, work):
    world, objects = work
    a = objects["a"]
    task = a["late"].task
    client.force_login(world["a"]["monitor"])
    url = f"/directives/{a['directive'].pk}/tasks/{task.pk}/assignments/"
    response = post(client, url, {"unit": world["a"]["commune"].pk, "due_on": "2026-12-31"})
    assert response.status_code == 201, response.content
    assignment = Assignment.objects.get(pk=response.json()["id"])
    assert (
        assignment.unit == world["a"]["commune"] and assignment.due_on.isoformat() == "2026-12-31"
    )
    assert AssignmentEvent.objects.filter(pgh_obj_id=assignment.pk).exists()
    assert Notification.objects.filter(recipient=world["a"]["commune_staff"]).exists()
    # Again: already held, 200, nothing new.
    again = post(client, url, {"unit": world["a"]["commune"].pk, "role": "coordinating"})
    assert again.status_code == 200 and again.json()["role"] == "coordinating"
    assert task.assignments.count() == 2
    # Another province's unit is not a choice; a bad date is refused.
    answer = error_shape(post(client, url, {"unit": world["b"]["commune"].pk}), 400)
    assert "units" in answer["errors"] and vietnamese(answer["errors"]["units"][0])
    error_shape(post(client, url, {"unit": world["a"]["front"].pk, "due_on": "31/12/2026"}), 400)
    assert task.assignments.count() == 2


def test_bulk_assignment_gives_a_task_to_every_unit_of_a_kind(client, work):
    world, objects = work
    a = objects["a"]
    task = a["later"].task
    other_commune = UnitFactory(
        name="Đảng ủy xã C", kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.COMMUNE,
        parent=world["a"]["committee"],
    )  # fmt: skip
    client.force_login(world["a"]["monitor"])
    url = f"/directives/{a['directive'].pk}/tasks/{task.pk}/assignments/bulk/"
    response = post(
        client,
        url,
        {"parent": world["a"]["committee"].pk, "kind": "party_committee", "level": "commune",
         "units": [world["a"]["front"].pk]},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] == 2 and body["already_held"] == 1
    held = set(task.assignments.values_list("unit_id", flat=True))
    assert held == {world["a"]["front"].pk, world["a"]["commune"].pk, other_commune.pk}
    assert {row["unit"]["id"] for row in body["assignments"]} == held
    assert Notification.objects.filter(recipient=world["a"]["commune_staff"]).exists()
    # A parent without a kind, or nothing at all: the page's messages.
    answer = error_shape(post(client, url, {"parent": world["a"]["committee"].pk}), 400)
    assert "kind" in answer["errors"]
    answer = error_shape(post(client, url, {}), 400)
    assert vietnamese(answer["errors"]["non_field_errors"][0])
    # Another province's directive: 404; a viewer: 403.
    b = objects["b"]
    elsewhere = f"/directives/{b['directive'].pk}/tasks/{b['later'].task_id}/assignments/bulk/"
    error_shape(post(client, elsewhere, {"units": [world["a"]["front"].pk]}), 404)
    client.force_login(world["a"]["viewer"])
    error_shape(post(client, url, {"units": [world["a"]["commune_front"].pk]}), 403)
    assert task.assignments.count() == 3
