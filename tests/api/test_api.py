"""The integration API: keys (hashed, expired, revoked, throttled), scoping through the
owner, the one error shape, ISO dates, ETags, the schema and its documentation page.
The access matrix (tests/access/test_matrix.py) covers every endpoint × every role."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from api.models import ApiKey, api_key_create
from directives.models import ProgressReport
from directives.status import local_today
from notifications.models import Channel, Notification
from tests.factories import UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db

API = "/api/v1"


def auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


def error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "errors"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body


# --- Keys ----------------------------------------------------------------------------------


def test_a_key_is_stored_only_as_its_hash_and_authenticates_as_its_owner(client, work):
    world, objects = work
    staff = world["a"]["staff"]
    key, raw = api_key_create(user=staff, name="Hệ thống văn bản")
    assert raw.startswith(f"bdv_{key.prefix}_")
    key.refresh_from_db()
    assert key.hashed_key == hashlib.sha256(raw.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apikey")
        assert not any(raw in str(column) for row in cursor.fetchall() for column in row)
    response = client.get(f"{API}/assignments/", **auth(raw))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {objects["a"]["late"].pk, objects["a"]["later"].pk}
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.parametrize("state", ["expired", "revoked", "wrong_secret", "inactive_owner"])
def test_an_unusable_key_is_refused_with_401(client, work, state):
    world, objects = work
    owner = world["a"]["staff"]
    key, raw = api_key_create(user=owner, name="Khóa")
    if state == "expired":
        key.expires_at = timezone.now() - datetime.timedelta(minutes=1)
        key.save()
    elif state == "revoked":
        key.revoked = True
        key.save()
    elif state == "wrong_secret":
        raw = raw[:-4] + ("aaaa" if not raw.endswith("aaaa") else "bbbb")
    else:
        owner.is_active = False
        owner.save()
    response = client.get(f"{API}/assignments/", **auth(raw))
    body = error_shape(response, 401)
    assert body["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Api-Key"
    assert "khóa" in body["message"].lower() or "xác thực" in body["message"].lower(), body


@pytest.mark.parametrize(
    "header", ["Api-Key", "Api-Key a b", "Api-Key bdv_zz", "Api-Key bdv_12345678_x_y"]
)
def test_a_malformed_key_header_is_a_401_not_a_500(client, work, header):
    response = client.get(f"{API}/directives/", HTTP_AUTHORIZATION=header)
    error_shape(response, 401)


def test_without_credentials_the_api_answers_401_in_vietnamese(client, db):
    body = error_shape(client.get(f"{API}/directives/"), 401)
    assert body["code"] == "not_authenticated"
    assert "xác thực" in body["message"].lower(), body


def test_a_key_never_sees_more_than_its_owner(client, work):
    world, objects = work
    _key, raw = api_key_create(user=world["a"]["staff"], name="Khóa")
    b = objects["b"]
    assert client.get(f"{API}/directives/{b['directive'].pk}/", **auth(raw)).status_code == 404
    assert client.get(f"{API}/assignments/{b['late'].pk}/", **auth(raw)).status_code == 404
    assert client.get(f"{API}/units/{world['b']['front'].pk}/", **auth(raw)).status_code == 404
    listed = client.get(f"{API}/directives/", **auth(raw)).json()
    assert [row["id"] for row in listed["results"]] == [objects["a"]["directive"].pk]
    units = client.get(f"{API}/units/?page_size=100", **auth(raw)).json()["results"]
    assert world["b"]["front"].pk not in {u["id"] for u in units}
    assert "Phú Yên" not in json.dumps(units, ensure_ascii=False)
    # Nor can it report on another province's work.
    response = client.post(
        f"{API}/assignments/{b['late'].pk}/reports/",
        {"percent": 10, "results": "x"},
        content_type="application/json",
        **auth(raw),
    )
    error_shape(response, 404)
    assert not ProgressReport.objects.exists()


def test_keys_are_throttled_one_by_one(client, work):
    world, _objects = work
    _first, raw = api_key_create(user=world["a"]["staff"], name="Một")
    _second, other = api_key_create(user=world["a"]["staff"], name="Hai")
    with override_settings(API_KEY_RATE="3/min"):
        for _ in range(3):
            assert client.get(f"{API}/units/", **auth(raw)).status_code == 200
        body = error_shape(client.get(f"{API}/units/", **auth(raw)), 429)
        assert body["code"] == "throttled"
        assert client.get(f"{API}/units/", **auth(other)).status_code == 200


def test_the_admin_creates_a_key_shows_it_once_and_stores_its_hash(client, work):
    world, _objects = work
    admin = UserFactory(username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/api/apikey/add/").status_code == 200
    response = client.post(
        "/admin/api/apikey/add/",
        {"user": world["a"]["staff"].pk, "name": "Văn bản điều hành", "expires_at_0": "",
         "expires_at_1": ""},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:2000]
    key = ApiKey.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw = next(w for m in shown for w in m.split() if w.startswith("bdv_")).rstrip(".")
    assert key.matches(raw) and key.hashed_key != raw and "sao chép" in " ".join(shown)
    # Shown once: the key's page never shows it again.
    page = client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()
    assert key.prefix in page and raw not in page
    client.logout()
    assert client.get(f"{API}/assignments/", **auth(raw)).status_code == 200


# --- Reads ---------------------------------------------------------------------------------


def test_my_overdue_assignments_with_iso_dates(client, work):
    world, objects = work
    _key, raw = api_key_create(user=world["a"]["staff"], name="Khóa")
    body = client.get(f"{API}/assignments/?status=overdue", **auth(raw)).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == objects["a"]["late"].pk and row["status"] == "overdue"
    assert row["due_on"] == objects["a"]["late"].due_on.isoformat()
    assert row["directive"] == {"id": objects["a"]["directive"].pk,
                                "code": objects["a"]["directive"].code}  # fmt: skip


def test_lists_page_with_a_stable_order(client, work):
    world, objects = work
    client.force_login(world["a"]["staff"])
    first = client.get(f"{API}/assignments/?page_size=1").json()
    second = client.get(f"{API}/assignments/?page_size=1&page=2").json()
    assert first["count"] == 2 and first["next"] and second["previous"]
    assert [first["results"][0]["id"], second["results"][0]["id"]] == [
        objects["a"]["late"].pk,
        objects["a"]["later"].pk,
    ]


def test_the_unit_tree_names_each_units_parent(client, work):
    world, _objects = work
    client.force_login(world["a"]["monitor"])
    units = client.get(f"{API}/units/?page_size=100").json()["results"]
    by_id = {u["id"]: u for u in units}
    a = world["a"]
    assert by_id[a["committee"].pk]["parent"] is None
    assert by_id[a["front"].pk]["parent"] == a["committee"].pk
    assert by_id[a["commune_front"].pk]["parent"] == a["commune"].pk
    assert world["b"]["committee"].pk not in by_id


def test_detail_reads_carry_an_etag(client, work):
    world, objects = work
    client.force_login(world["a"]["staff"])
    url = f"{API}/assignments/{objects['a']['late'].pk}/"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assignment = objects["a"]["late"]
    assignment.progress = 40
    assignment.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_confidential_directive_hides_its_subject_in_the_list_only(client, work):
    world, objects = work
    directive = objects["a"]["directive"]
    directive.confidential = True
    directive.save()
    client.force_login(world["a"]["monitor"])
    listed = client.get(f"{API}/directives/").json()["results"]
    assert listed[0]["subject"] is None
    detail = client.get(f"{API}/directives/{directive.pk}/").json()
    assert detail["subject"] == directive.subject


# --- Progress reports ----------------------------------------------------------------------


def test_staff_submit_progress_through_the_service(client, work):
    world, objects = work
    staff = world["a"]["staff"]
    _key, raw = api_key_create(user=staff, name="Khóa")
    late = objects["a"]["late"]
    response = client.post(
        f"{API}/assignments/{late.pk}/reports/",
        {"percent": 60, "results": "Đã tổ chức 12 hội nghị quán triệt."},
        content_type="application/json",
        **auth(raw),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    report = ProgressReport.objects.get()
    assert body["id"] == report.pk and body["status"] == "submitted"
    assert report.author == staff and report.assignment == late and report.percent == 60
    assert body["reported_on"] == local_today().isoformat()


def test_progress_refusals_name_the_field_and_change_nothing(client, work):
    world, objects = work
    late = objects["a"]["late"]
    client.force_login(world["a"]["staff"])
    url = f"{API}/assignments/{late.pk}/reports/"
    body = error_shape(client.post(url, {"percent": 150}, content_type="application/json"), 400)
    assert body["code"] == "invalid" and {"percent", "results"} <= set(body["errors"])
    future = (local_today() + datetime.timedelta(days=3)).isoformat()
    body = error_shape(
        client.post(
            url,
            {"percent": 10, "results": "x", "reported_on": future},
            content_type="application/json",
        ),
        400,
    )
    assert "reported_on" in body["errors"]
    body = error_shape(
        client.post(url, {"percent": 10, "results": "x", "reported_on": "31/12/2024"},
                    content_type="application/json"),
        400,
    )  # fmt: skip
    assert "reported_on" in body["errors"]
    late.cancelled = True
    late.save()
    body = error_shape(
        client.post(url, {"percent": 10, "results": "x"}, content_type="application/json"), 400
    )
    assert body["errors"]["non_field_errors"]
    assert not ProgressReport.objects.exists()


def test_a_monitor_may_not_report_for_a_unit(client, work):
    world, objects = work
    client.force_login(world["a"]["monitor"])
    response = client.post(
        f"{API}/assignments/{objects['a']['late'].pk}/reports/",
        {"percent": 10, "results": "x"},
        content_type="application/json",
    )
    assert error_shape(response, 403)["code"] == "permission_denied"
    assert not ProgressReport.objects.exists()


# --- Malformed input: 4xx, never 5xx -------------------------------------------------------


@pytest.mark.parametrize(
    "method,path,payload",
    [
        ("get", "/directives/?issuer_id=abc", None),
        ("get", "/directives/?year=1800", None),
        ("get", "/directives/?status=nonsense", None),
        ("get", "/assignments/?status=nonsense", None),
        ("get", "/assignments/?directive=999999999", None),
        ("get", "/assignments/?page=abc", None),
        ("get", "/assignments/?page=99999", None),
        ("get", "/units/999999999999999999/", None),
        ("post", "/assignments/{late}/reports/", "{not json"),
        ("post", "/assignments/{late}/reports/", "[1, 2]"),
        ("post", "/assignments/{late}/reports/", '{"percent": "mười", "results": ["x"]}'),
        ("post", "/assignments/{late}/reports/", '{"percent": 10, "results": "x", '
                                                  '"indicator_value": "1e999"}'),
        ("post", "/notifications/999999999/read/", None),
    ],
)  # fmt: skip
def test_malformed_input_gets_a_4xx_in_the_error_shape(client, work, method, path, payload):
    world, objects = work
    client.force_login(world["a"]["staff"])
    url = API + path.format(late=objects["a"]["late"].pk)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, payload or "", content_type="application/json")
    assert 400 <= response.status_code < 500, (url, response.status_code)
    error_shape(response, response.status_code)
    assert not ProgressReport.objects.exists()


def test_a_huge_id_in_the_path_is_a_404(client, work):
    world, _objects = work
    client.force_login(world["a"]["staff"])
    assert client.get(f"{API}/directives/{'9' * 30}/").status_code == 404


# --- Notifications -------------------------------------------------------------------------


def test_notifications_are_the_users_own_and_marked_read_one_by_one(client, work):
    world, _objects = work
    staff, other = world["a"]["staff"], world["a"]["monitor"]
    mine = Notification.objects.create(
        recipient=staff, channel=Channel.INAPP, kind="report", dedup_key="api-1",
        subject="Nhắc hạn", body_text="Sắp đến hạn báo cáo",
    )  # fmt: skip
    theirs = Notification.objects.create(
        recipient=other, channel=Channel.INAPP, kind="report", dedup_key="api-2",
        subject="Khác", body_text="Của người khác",
    )  # fmt: skip
    client.force_login(staff)
    listed = client.get(f"{API}/notifications/?unread=1").json()["results"]
    assert [n["id"] for n in listed] == [mine.pk]
    error_shape(client.post(f"{API}/notifications/{theirs.pk}/read/"), 404)
    response = client.post(f"{API}/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.get(f"{API}/notifications/?unread=1").json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- Schema and documentation --------------------------------------------------------------


def test_the_schema_is_openapi_3_and_lists_every_endpoint(client, db):
    response = client.get(f"{API}/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/units/", "/api/v1/units/{id}/", "/api/v1/directives/",
        "/api/v1/directives/{id}/", "/api/v1/assignments/", "/api/v1/assignments/{id}/",
        "/api/v1/assignments/{id}/reports/", "/api/v1/notifications/",
        "/api/v1/notifications/{id}/read/",
    } <= set(schema["paths"])  # fmt: skip
    assert "ApiKey" in schema["components"]["securitySchemes"]


def test_the_docs_page_uses_only_vendored_assets(client, db):
    page = client.get(f"{API}/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
