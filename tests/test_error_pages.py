"""Error pages speak Vietnamese in the site's layout and say where to go (DEBUG off)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from tests.directives.test_progress_services import build_world

pytestmark = pytest.mark.django_db


def broken_view(request) -> HttpResponse:
    raise RuntimeError("simulated failure")


# This module doubles as a URLconf: the site plus a page that fails.
urlpatterns = [path("broken/", broken_view), *site_urlpatterns]
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def assert_site_page(response, status: int, words: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="vi">' in html
    assert 'class="navbar' in html  # the site's layout
    assert words in html
    assert 'data-testid="error-links"' in html and 'href="/"' in html
    assert "Not Found" not in html and "Forbidden" not in html
    return html


def test_directive_outside_scope_answers_a_vietnamese_404(client, two_provinces):
    world = build_world(two_provinces)
    client.force_login(world["a"]["staff"])
    response = client.get(f"/directives/{world['b']['directive'].pk}/")
    html = assert_site_page(response, 404, "Không tìm thấy trang")
    assert "Việc của tôi" in html  # a signed-in user is sent to their work


def test_staff_on_import_page_gets_a_vietnamese_403(client, two_provinces):
    client.force_login(two_provinces["a"]["staff"])
    response = client.get("/directives/import/")
    assert_site_page(response, 403, "Bạn không có quyền")


def test_bad_host_gets_a_vietnamese_400(client):
    response = client.get("/accounts/login/", HTTP_HOST="ke-gia-mao.example")
    assert_site_page(response, 400, "Yêu cầu không hợp lệ")


def test_expired_form_gets_a_vietnamese_csrf_page(two_provinces):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert_site_page(response, 403, "Biểu mẫu đã hết hạn")


@pytest.mark.urls("tests.test_error_pages")
def test_server_error_gets_a_vietnamese_500_in_the_layout(client, two_provinces):
    client.raise_request_exception = False
    client.force_login(two_provinces["a"]["staff"])
    response = client.get("/broken/")
    assert_site_page(response, 500, "Hệ thống gặp sự cố")
