"""An upload's type is decided from its content, stored, and served back as such."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook

from directives.models import Directive, DirectiveAttachment, ProgressAttachment
from directives.uploads import TYPE_OF_EXTENSION, content_type_of
from tests.directives.test_directive_forms import CREATE
from tests.directives.test_directive_forms import form_data as directive_data
from tests.directives.test_progress_pages import counts, form_data, report_url
from tests.directives.test_progress_services import PDF, build_world

DOCX = TYPE_OF_EXTENSION[".docx"]
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run"


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Báo cáo kết quả thực hiện Kết luận 56-KL/TU")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def html_in_zip(member: str = "index.html") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(member, "<html><script>alert(1)</script></html>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bao-cao.docx", docx_bytes(), DOCX),
        ("so-lieu.xlsx", xlsx_bytes(), TYPE_OF_EXTENSION[".xlsx"]),
        ("so-lieu.docx", xlsx_bytes(), None),  # a workbook is not a Word document
        ("bao-cao.docx", html_in_zip(), None),
        ("bao-cao.docx", b"PK\x03\x04<html><script>alert(1)</script></html>", None),
        ("ghi-chu.txt", "Ghi chú: hội nghị ngày 05/02/2025.\n".encode(), "text/plain"),
        ("ghi-chu.txt", "Ghi chú".encode("utf-16"), "text/plain"),
        ("ghi-chu.txt", EXE, None),
        ("ghi-chu.txt", b"MZ plain looking text", None),
        ("ghi-chu.txt", b"\x00\x01\x02binary", None),
        ("van-ban.pdf", PDF, "application/pdf"),
        ("van-ban.pdf", b"<html>not a pdf</html>", None),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"),
        ("anh.jpg", PDF, None),
        ("tai-lieu.zip", html_in_zip(), "application/zip"),
        ("tai-lieu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "application/msword"),
    ],
)
def test_type_comes_from_the_content(name, content, expected):
    extension = "." + name.rsplit(".", 1)[1]
    assert content_type_of(io.BytesIO(content), extension) == expected


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(two_provinces)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("ghi-chu.txt", EXE), ("bao-cao.docx", b"PK\x03\x04<html><script>x</script></html>")],
)
def test_a_disguised_file_is_refused_and_nothing_is_saved(client, world, name, content):
    client.force_login(world["a"]["staff"])
    upload = SimpleUploadedFile(name, content, content_type="text/plain")
    response = client.post(report_url(world["a"]["assignment"]), form_data(attachments=[upload]))
    assert response.status_code == 422
    assert "không đúng với loại tệp" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_the_stored_and_served_type_is_the_one_found_in_the_content(client, world):
    client.force_login(world["a"]["staff"])
    upload = SimpleUploadedFile("bao-cao.docx", docx_bytes(), content_type="text/html")
    response = client.post(report_url(world["a"]["assignment"]), form_data(attachments=[upload]))
    assert response.status_code == 302
    attachment = ProgressAttachment.objects.get()
    assert attachment.content_type == DOCX
    served = client.get(reverse("progress:attachment_download", args=[attachment.pk]))
    assert served["Content-Type"] == DOCX
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_directive_file_is_served_with_the_type_of_its_content(
    client, two_provinces, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    a = two_provinces["a"]
    client.force_login(a["monitor"])
    refused = SimpleUploadedFile("56-KL.docx", html_in_zip(), content_type=DOCX)
    response = client.post(CREATE, {**directive_data(a["committee"]), "attachment": refused})
    assert response.status_code == 400 and not Directive.objects.exists()
    good = SimpleUploadedFile("56-KL.docx", docx_bytes(), content_type="text/html")
    response = client.post(CREATE, {**directive_data(a["committee"]), "attachment": good})
    assert response.status_code == 302
    attachment = DirectiveAttachment.objects.get()
    url = reverse("directives:attachment", args=[attachment.directive_id, attachment.pk])
    assert client.get(url)["Content-Type"] == DOCX
