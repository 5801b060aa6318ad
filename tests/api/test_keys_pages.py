"""API keys for people and for service accounts bound to a unit: managed by administrators
on a page (created and shown once, listed, revoked after a confirmation), and a service
account's key sees exactly what a person of its unit and role sees. Also: an unknown
address under /api/v1/ is a JSON 404 in the API's error shape."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiKey, ServiceAccount
from api.services import api_key_issue
from tests.factories import UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db

API = "/api/v1"


def auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


@pytest.fixture
def admin(two_provinces):
    return UserFactory(username="quantri", unit=None, role=Role.ADMIN)


def ids(client, path: str, raw: str | None = None) -> set[int]:
    response = client.get(f"{API}{path}", **(auth(raw) if raw else {}))
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_an_administrator_creates_a_service_account_key_shown_once(client, admin, two_provinces):
    commune = two_provinces["a"]["commune"]
    client.force_login(admin)
    page = client.get(reverse("integration:keys"))
    assert page.status_code == 200 and "Chưa có khóa API nào" in page.content.decode()
    response = client.post(
        reverse("integration:key_create"),
        {
            "name": "Hệ thống văn bản xã",
            "owner_kind": "service",
            "unit": commune.pk,
            "role": Role.STAFF,
            "expires_on": "31/12/2099",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [raw] = re.findall(r'value="(bdv_[^"]+)"', response.content.decode())
    key = ApiKey.objects.get()
    assert key.matches(raw) and raw not in key.hashed_key
    account = key.user.service_account
    assert (key.user.unit, key.user.role, account.created_by) == (commune, Role.STAFF, admin)
    assert not key.user.has_usable_password()
    assert timezone.localtime(key.expires_at).strftime("%d/%m/%Y %H:%M") == "01/01/2100 00:00"
    assert client.get(f"{API}/units/", **auth(raw)).status_code == 200

    listing = client.get(reverse("integration:keys")).content.decode()
    assert "Hệ thống văn bản xã" in listing and f"bdv_{key.prefix}" in listing
    assert "Tài khoản dịch vụ" in listing and raw not in listing


def test_a_service_account_cannot_sign_in_on_the_pages(client, two_provinces):
    key, _raw = api_key_issue(
        name="Hệ thống", service={"name": "Hệ thống", "unit": two_provinces["a"]["commune"],
                                  "role": Role.STAFF},
    )  # fmt: skip
    for password in ("", "!", key.user.password):
        response = client.post(
            reverse("login"), {"username": key.user.username, "password": password}
        )
        assert response.status_code == 200  # the form again, not a redirect: refused
        assert "_auth_user_id" not in client.session


def test_revoking_asks_first_then_the_key_is_refused(client, admin, two_provinces):
    key, raw = api_key_issue(name="Trục liên thông", owner=two_provinces["a"]["staff"])
    client.force_login(admin)
    confirm = client.get(reverse("integration:key_revoke", args=[key.pk]))
    assert confirm.status_code == 200 and "Thu hồi khóa" in confirm.content.decode()
    key.refresh_from_db()
    assert not key.revoked  # the confirmation page changes nothing
    response = client.post(reverse("integration:key_revoke", args=[key.pk]))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked
    client.logout()
    refused = client.get(f"{API}/assignments/", **auth(raw))
    assert refused.status_code == 401 and refused.json()["message"] == "Khóa API đã bị thu hồi."


def test_a_bad_key_form_is_a_400_in_vietnamese(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("integration:key_create"),
        {"name": "X", "owner_kind": "user", "username": "khongco", "expires_on": "01/01/2001"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không có người dùng nào đang hoạt động có tên đăng nhập này." in body
    assert not ApiKey.objects.exists() and not ServiceAccount.objects.exists()


def test_the_key_list_pages(client, admin, two_provinces):
    for n in range(27):
        api_key_issue(name=f"Khóa {n:02d}", owner=two_provinces["a"]["staff"])
    client.force_login(admin)
    first = client.get(reverse("integration:keys")).content.decode()
    second = client.get(reverse("integration:keys") + "?page=2").content.decode()
    assert "Khóa 26" in first and "Khóa 00" not in first
    assert "Khóa 00" in second and "Trang 2/2" in second.replace(" trên ", "/")


def test_only_administrators_manage_keys(client, two_provinces):
    client.force_login(two_provinces["a"]["monitor"])
    assert client.get(reverse("integration:keys")).status_code == 403
    assert client.post(reverse("integration:key_create"), {}).status_code == 403


def test_a_service_account_of_a_commune_sees_what_a_person_of_that_commune_sees(client, work):
    world, objects = work
    side = world["a"]
    commune = side["commune"]
    person = side["commune_staff"]
    _key, raw = api_key_issue(
        name="Hệ thống xã", service={"name": "Hệ thống xã", "unit": commune, "role": Role.STAFF}
    )
    _front_key, front_raw = api_key_issue(
        name="Hệ thống MTTQ", service={"name": "MTTQ", "unit": side["front"], "role": Role.STAFF}
    )
    for path in ("/units/", "/directives/", "/assignments/"):
        client.force_login(person)
        as_person = ids(client, path)
        client.logout()
        assert ids(client, path, raw) == as_person, path
    # The commune's key sees none of the Front's work; the Front's key sees it, not B's.
    assert ids(client, "/assignments/", raw) == set()
    assert ids(client, "/assignments/", front_raw) == {
        objects["a"]["late"].pk,
        objects["a"]["later"].pk,
    }
    late_b = objects["b"]["late"].pk
    assert client.get(f"{API}/assignments/{late_b}/", **auth(front_raw)).status_code == 404
    # Units: the commune's key sees its commune and below, never the province.
    assert side["committee"].pk not in ids(client, "/units/", raw)
    assert commune.pk in ids(client, "/units/", raw)


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/units/x/", "/api/v2/"])
def test_an_unknown_api_address_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": "Không tìm thấy.", "errors": {}}


def test_a_page_address_stays_an_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
