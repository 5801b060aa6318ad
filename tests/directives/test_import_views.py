"""The import pages: paste or upload → review → confirm."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from directives.models import Assignment, AssignmentRole, Directive, ImportDraft, Task
from tests.directives.test_import_apply import build_ducpho
from tests.factories import UserFactory
from units.models import Role

SEEDS = Path(__file__).resolve().parents[2] / "sampledata" / "seed_documents"
SEED_004 = (SEEDS / "004_f63d29f789b56af6.txt").read_text(encoding="utf-8")
SEED_002 = (SEEDS / "002_88e453569ce4e8b0.txt").read_text(encoding="utf-8")
START = reverse("directives:import")

SHORT_DIRECTIVE = """THỊ ỦY ĐỨC PHỔ
*
Số 12-KH/TU
Đức Phổ, ngày 05 tháng 3 năm 2024
KẾ HOẠCH
về tổ chức đối thoại với Nhân dân năm 2024

Căn cứ Kết luận số 43-KL/TW ngày 07/01/2019 của Ban Bí thư về công tác dân vận.

1. Ủy ban nhân dân thị xã chủ trì tổ chức đối thoại trước ngày 30/6/2024.

2. Ban Dân vận Thị ủy theo dõi, tổng hợp, báo cáo Ban Thường vụ Thị ủy hằng quý.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Nguyễn Văn A
"""


@pytest.fixture
def ducpho(db) -> dict:
    return build_ducpho()


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


def _review_url(response) -> str:
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _post_text(client, text: str):
    return client.post(START, {"text": text})


def _form_data(page_context) -> dict:
    """What the browser would send back for the review page as rendered."""
    form, formset = page_context["form"], page_context["formset"]
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if hasattr(value, "strftime"):
            value = value.strftime("%d/%m/%Y")
        data[form[name].html_name] = value
    data.update(
        {
            "tasks-TOTAL_FORMS": formset.total_form_count(),
            "tasks-INITIAL_FORMS": formset.initial_form_count(),
        }
    )
    for task_form in formset:
        for name in task_form.fields:
            value = task_form[name].value()
            if value is None or value is False or value == "":
                continue
            if hasattr(value, "strftime"):
                value = value.strftime("%d/%m/%Y")
            data[task_form[name].html_name] = value
    return data


# ------------------------------------------------------------------------- access


def test_only_monitors_and_administrators_import(client, ducpho) -> None:
    response = client.get(START)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for role in (Role.STAFF, Role.LEADER, Role.VIEWER, Role.INSPECTOR):
        client.force_login(UserFactory(unit=ducpho["committee"], role=role))
        assert client.get(START).status_code == 403
        assert _post_text(client, SEED_004).status_code == 403
    client.force_login(ducpho["monitor"])
    page = client.get(START)
    assert page.status_code == 200
    assert 'data-testid="nav-import"' in page.content.decode()


def test_a_draft_of_another_session_is_not_found(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url = _review_url(_post_text(client, SEED_004))
    other = UserFactory(unit=ducpho["board"], role=Role.MONITOR)
    client.force_login(other)
    assert client.get(url).status_code == 404


# ------------------------------------------------------------------------ step 1


def test_bad_uploads_are_refused_in_vietnamese_and_nothing_is_kept(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    cases = [
        (
            SimpleUploadedFile("kehoach.exe", b"MZ\x90\x00"),
            vi("“%(name)s”: only .txt, .docx and .pdf files can be imported.")
            % {"name": "kehoach.exe"},
        ),
        (SimpleUploadedFile("kehoach.pdf", b"not a pdf at all"), "Tệp .pdf bị hỏng"),
        (SimpleUploadedFile("kehoach.txt", b""), None),
    ]
    for upload, message in cases:
        response = client.post(START, {"upload": upload})
        assert response.status_code == 400
        if message:
            assert message in response.content.decode()
    response = client.post(START, {"text": "   "})
    assert response.status_code == 400
    assert vi("Paste the text of the document or choose a file.") in response.content.decode()
    assert not ImportDraft.objects.exists()
    assert not Directive.objects.exists()


def test_a_txt_upload_goes_to_review(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    upload = SimpleUploadedFile("kl.txt", SEED_004.encode("utf-8"), content_type="text/plain")
    url = _review_url(client.post(START, {"upload": upload}))
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 20


def test_a_news_report_is_refused_with_the_reasons(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    response = _post_text(client, SEED_002)
    assert response.status_code == 422
    body = response.content.decode()
    assert vi("This text cannot be imported as a directive.") in body
    assert "bài báo, tin tức" in body
    assert "25-NQ/TW" in body  # what it cites is still shown
    assert not ImportDraft.objects.exists()
    assert not Directive.objects.exists()


# ------------------------------------------------------------------------ step 2


def test_review_shows_the_text_beside_the_proposal_with_units_in_scope_only(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    page = client.get(_review_url(_post_text(client, SEED_004)))
    body = page.content.decode()
    assert "Hội nghị đánh giá kết quả thực hiện Quy chế" in body  # the original text
    form = page.context["form"]
    assert form["issuer"].value() == ducpho["town"].pk
    assert form["monitoring_unit"].value() == ducpho["board"].pk
    assert form["issued_on"].value().isoformat() == "2023-07-17"
    options = re.search(r'<template id="unit-options">(.*?)</template>', body, re.S).group(1)
    offered = {int(pk) for pk in re.findall(r'value="(\d+)"', options)}
    assert ducpho["council"].pk in offered and ducpho["town"].pk in offered
    assert ducpho["elsewhere"].pk not in offered
    tasks = {f["section"].value(): f for f in page.context["formset"]}
    assert tasks["II.2.1"]["lead"].value() == ducpho["council"].pk
    assert tasks["II.2.4"]["lead"].value() is None
    assert "Đảng ủy các xã, phường" in body and vi("new unit?") in body


def test_confirm_creates_everything_and_shows_the_directive(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url = _review_url(_post_text(client, SEED_004))
    data = _form_data(client.get(url).context)
    data["tasks-1-lead"] = ducpho["committee"].pk  # corrected by the user
    data["tasks-1-lead_group"] = ""  # instead of "các cấp ủy, tổ chức đảng"
    data["tasks-19-DELETE"] = "on"  # not a task
    data["tasks-16-unassigned"] = data["tasks-17-unassigned"] = "on"  # no unit matched
    data["past_due_all"] = "track"  # the 2023 deadlines are followed
    data["tasks-0-deadline"] = "15/11/2023"
    response = client.post(url, data)
    directive = Directive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:detail", args=[directive.pk])
    assert directive.issuer == ducpho["town"] and directive.monitoring_unit == ducpho["board"]
    assert directive.created_by == ducpho["monitor"]
    assert directive.tasks.count() == 19
    second = Task.objects.get(directive=directive, order=1)
    assert second.assignments.get(role=AssignmentRole.LEAD).unit == ducpho["committee"]
    first = Task.objects.get(directive=directive, order=0)
    assert first.deadline_kind == "date" and first.due_on.isoformat() == "2023-11-15"
    assert not ImportDraft.objects.exists()
    page = client.get(response["Location"])
    assert page.status_code == 200


def test_a_unit_outside_scope_sent_by_hand_is_refused(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url = _review_url(_post_text(client, SEED_004))
    data = _form_data(client.get(url).context)
    data["tasks-0-lead"] = ducpho["elsewhere"].pk
    data["tasks-1-coordinating"] = [ducpho["elsewhere"].pk]
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Directive.objects.exists() and not Assignment.objects.exists()
    data = _form_data(client.get(url).context)  # the draft kept what was typed...
    data["tasks-0-lead"] = ducpho["council"].pk
    data["tasks-1-coordinating"] = []
    data["issuer"] = ducpho["elsewhere"].pk
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Directive.objects.exists()


def test_what_was_typed_survives_a_validation_error(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url = _review_url(_post_text(client, SHORT_DIRECTIVE))
    data = _form_data(client.get(url).context)
    data["subject"] = "về đối thoại với Nhân dân (đã sửa)"
    data["tasks-0-text"] = "Tổ chức đối thoại với Nhân dân ở 100% xã, phường."
    data["issued_on"] = "31/02/2024"
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Directive.objects.exists()
    again = client.get(url)
    assert again.context["form"]["subject"].value() == "về đối thoại với Nhân dân (đã sửa)"
    assert "100% xã, phường" in again.content.decode()
    data["issued_on"] = "05/03/2024"
    data["tasks-0-past_due"] = "track"  # 30/6/2024 has passed: followed all the same
    data["tasks-0-ongoing"] = "on"  # and a due date: contradictory
    response = client.post(url, data)
    assert response.status_code == 400
    assert vi("A task is either ongoing or has a due date: clear one of them.") in (
        response.content.decode()
    )
    del data["tasks-0-ongoing"]
    assert client.post(url, data).status_code == 302
    directive = Directive.objects.get()
    assert directive.code == "12-KH/TU" and directive.number == "12"
    assert directive.subject == "về đối thoại với Nhân dân (đã sửa)"
    quarterly = directive.tasks.get(order=1)
    assert quarterly.deadline_kind == "recurring" and quarterly.recurrence == "quarterly"


def test_the_same_number_twice_is_refused_on_confirm(client, ducpho) -> None:
    client.force_login(ducpho["monitor"])
    url = _review_url(_post_text(client, SHORT_DIRECTIVE))
    data = _form_data(client.get(url).context)
    data["past_due_all"] = "track"
    assert client.post(url, data).status_code == 302
    url = _review_url(_post_text(client, SHORT_DIRECTIVE))
    response = client.post(url, _form_data(client.get(url).context))
    assert response.status_code == 400
    assert "12-KH/TU" in response.content.decode()
    assert Directive.objects.count() == 1


def test_review_page_queries_do_not_grow_with_tasks(
    client, ducpho, django_assert_max_num_queries
) -> None:
    client.force_login(ducpho["monitor"])
    short = _review_url(_post_text(client, SHORT_DIRECTIVE))
    long = _review_url(_post_text(client, SEED_004))
    with django_assert_max_num_queries(12) as few:
        assert len(client.get(short).context["formset"].forms) == 2
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(long).context["formset"].forms) == 20
