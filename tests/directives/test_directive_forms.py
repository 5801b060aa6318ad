"""Entering and editing a directive with its tasks: who may, and what bad input does."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from directives.models import Directive, DirectiveAttachment, Task
from tests.factories import DirectiveFactory, TaskFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("directives:create")


def vi(message: str) -> str:
    """The message as a Vietnamese user reads it (the msgid until it is translated)."""
    with translation.override("vi"):
        return gettext(message)


def form_data(issuer, **overrides) -> dict:
    data = {
        "kind": "KL",
        "number": "56",
        "code": "56-KL/TU",
        "issuer": issuer.pk,
        "issued_on": "05/02/2025",
        "place": "Hải Dương",
        "term": "XVII",
        "subject": "về tăng cường công tác dân vận",
        "recipients": "- Các đảng ủy trực thuộc,\n\n- Lưu Văn phòng Tỉnh ủy.",
        "status": "in_force",
        "signer_on_behalf": "T/M BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Nguyễn Văn A",
        "tasks-TOTAL_FORMS": "2",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "1000",
        "tasks-0-section": "1",
        "tasks-0-title": "Tổ chức quán triệt kết luận",
        "tasks-0-deadline_kind": "period",
        "tasks-0-period_label": "Quý I/2025",
        "tasks-0-due_on": "31/03/2025",
        "tasks-1-section": "2",
        "tasks-1-title": "Định kỳ báo cáo kết quả",
        "tasks-1-deadline_kind": "recurring",
        "tasks-1-recurrence": "half-yearly",
        "tasks-1-due_on": "15/06/2025",
    }
    data.update(overrides)
    return data


def test_monitor_enters_a_directive_with_its_tasks_in_one_form(client, two_provinces):
    a = two_provinces["a"]
    client.force_login(a["monitor"])

    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, form_data(a["committee"], monitoring_unit=a["board"].pk))

    directive = Directive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:detail", args=[directive.pk])
    assert directive.issued_on == datetime.date(2025, 2, 5)  # day first
    assert directive.recipients == ["Các đảng ủy trực thuộc,", "Lưu Văn phòng Tỉnh ủy."]
    assert directive.created_by == a["monitor"]
    assert directive.monitoring_unit == a["board"]
    tasks = list(directive.tasks.order_by("order"))
    assert [t.title for t in tasks] == ["Tổ chức quán triệt kết luận", "Định kỳ báo cáo kết quả"]
    assert tasks[0].due_on == datetime.date(2025, 3, 31)
    assert tasks[1].recurrence == "half-yearly"
    page = client.get(response["Location"]).content.decode()
    assert "Tổ chức quán triệt kết luận" in page and "Quý I/2025" in page


def test_text_typed_in_nfd_is_stored_nfc(client, two_provinces):
    import unicodedata

    a = two_provinces["a"]
    client.force_login(a["monitor"])
    nfd = unicodedata.normalize("NFD", "về công tác Dân vận khéo")
    client.post(CREATE, form_data(a["committee"], subject=nfd))
    assert Directive.objects.get().subject == "về công tác Dân vận khéo"


@pytest.mark.parametrize("who", ["staff", "viewer", "commune_staff"])
def test_only_monitors_and_admins_may_enter_directives(client, two_provinces, who):
    a = two_provinces["a"]
    client.force_login(a[who])
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(a["committee"])).status_code == 403
    assert not Directive.objects.exists()


def test_staff_cannot_edit_or_delete_a_directive_they_see(client, two_provinces):
    a = two_provinces["a"]
    directive = DirectiveFactory(issuer=a["front"], subject="cũ")
    client.force_login(a["staff"])  # the Front's staff see the Front's directive
    assert client.get(reverse("directives:detail", args=[directive.pk])).status_code == 200
    edit = reverse("directives:edit", args=[directive.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(a["front"], subject="mới")).status_code == 403
    assert client.post(reverse("directives:delete", args=[directive.pk])).status_code == 403
    directive.refresh_from_db()
    assert directive.subject == "cũ"


def test_posting_an_issuer_outside_scope_is_refused_and_nothing_saved(client, two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    client.force_login(a["monitor"])

    response = client.post(CREATE, form_data(b["committee"], monitoring_unit=b["board"].pk))

    assert response.status_code == 400
    form = response.context["form"]
    assert "issuer" in form.errors and "monitoring_unit" in form.errors
    with translation.override("vi"):
        from django.forms import ModelChoiceField

        expected = str(ModelChoiceField.default_error_messages["invalid_choice"])
    assert expected in response.content.decode()
    assert not Directive.objects.exists() and not Task.objects.exists()


def test_implements_offers_only_directives_the_user_may_see(client, two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    theirs = DirectiveFactory(issuer=b["committee"])
    mine = DirectiveFactory(issuer=a["committee"])
    client.force_login(a["monitor"])
    choices = client.get(CREATE).context["form"].fields["implements"].queryset
    assert list(choices) == [mine]
    response = client.post(CREATE, form_data(a["committee"], implements=theirs.pk, code="9-CV/TU"))
    assert response.status_code == 400
    assert not Directive.objects.filter(code="9-CV/TU").exists()


BAD_DATE = "Enter a valid date as dd/mm/yyyy, e.g. 05/02/2025."
PERIOD_END = "Enter the last day of the period (e.g. 30/09/2023 for “Quý III/2023”)."


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"subject": ""}, "subject", "Write the subject of the document (“về ...”)."),
        ({"issued_on": "31/02/2024"}, "issued_on", BAD_DATE),
        (
            {"tasks-1-recurrence": ""},
            "tasks-1-recurrence",
            "Choose how often this recurring task repeats.",
        ),
        ({"tasks-0-due_on": ""}, "tasks-0-due_on", PERIOD_END),
        (
            {"tasks-0-deadline_kind": "date", "tasks-0-due_on": ""},
            "tasks-0-due_on",
            "Enter the due date (dd/mm/yyyy).",
        ),
        ({"tasks-0-due_on": "32/13/2025"}, "tasks-0-due_on", BAD_DATE),
        ({"tasks-0-title": ""}, "tasks-0-title", "Write what the task is."),
        (
            {"tasks-0-target_value": "80"},
            "tasks-0-target_indicator",
            "Name the indicator the target value measures.",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, two_provinces, overrides, field, message
):
    a = two_provinces["a"]
    client.force_login(a["monitor"])

    response = client.post(CREATE, form_data(a["committee"], **overrides))

    assert response.status_code == 400
    html = response.content.decode()
    assert vi(message) in html
    if field.startswith("tasks-"):
        index, name = int(field.split("-")[1]), field.split("-", 2)[2]
        assert name in response.context["formset"].forms[index].errors
    else:
        assert field in response.context["form"].errors
    assert vi("Nothing was saved: please correct the fields marked below.") in html
    # Everything typed comes back.
    assert "Tổ chức quán triệt kết luận" in html or overrides.get("tasks-0-title") == ""
    assert "Các đảng ủy trực thuộc" in html
    assert not Directive.objects.exists() and not Task.objects.exists()


def test_duplicate_number_for_the_same_issuer_is_refused(client, two_provinces):
    a = two_provinces["a"]
    DirectiveFactory(issuer=a["committee"], code="56-KL/TU")
    client.force_login(a["monitor"])
    response = client.post(CREATE, form_data(a["committee"]))
    assert response.status_code == 400
    assert Directive.objects.count() == 1 and not Task.objects.exists()


def test_monitor_edits_a_directive_and_adds_a_task(client, two_provinces):
    a = two_provinces["a"]
    directive = DirectiveFactory(
        issuer=a["committee"], code="56-KL/TU", recipients=["Các huyện ủy", "Lưu VP"]
    )
    task = TaskFactory(directive=directive, title="Nhiệm vụ cũ", order=1)
    client.force_login(a["monitor"])
    url = reverse("directives:edit", args=[directive.pk])

    page = client.get(url)
    assert "Các huyện ủy\nLưu VP" in page.content.decode()
    data = form_data(
        a["committee"],
        subject="về công tác dân vận (sửa)",
        **{
            "tasks-TOTAL_FORMS": "2",
            "tasks-INITIAL_FORMS": "1",
            "tasks-0-id": task.pk,
            "tasks-0-directive": directive.pk,
            "tasks-0-title": "Nhiệm vụ cũ (sửa)",
            "tasks-1-title": "Nhiệm vụ mới",
        },
    )
    response = client.post(url, data)

    assert response.status_code == 302
    directive.refresh_from_db()
    assert directive.subject == "về công tác dân vận (sửa)"
    assert [t.title for t in directive.tasks.order_by("order")] == [
        "Nhiệm vụ cũ (sửa)",
        "Nhiệm vụ mới",
    ]


def test_monitor_of_another_province_cannot_edit(client, two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    directive = DirectiveFactory(issuer=a["committee"], subject="cũ")
    client.force_login(b["monitor"])
    url = reverse("directives:edit", args=[directive.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(b["committee"], subject="mới")).status_code == 404
    directive.refresh_from_db()
    assert directive.subject == "cũ"


def test_an_attachment_is_checked_and_kept(client, two_provinces, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    a = two_provinces["a"]
    client.force_login(a["monitor"])

    bad = SimpleUploadedFile("virus.exe", b"MZ....", content_type="application/octet-stream")
    response = client.post(CREATE, {**form_data(a["committee"]), "attachment": bad})
    assert response.status_code == 400
    assert not Directive.objects.exists()

    good = SimpleUploadedFile("56-KL.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    response = client.post(CREATE, {**form_data(a["committee"]), "attachment": good})
    assert response.status_code == 302
    attachment = DirectiveAttachment.objects.get()
    assert attachment.original_name == "56-KL.pdf" and attachment.uploaded_by == a["monitor"]


def test_deleting_a_directive_asks_first(client, two_provinces):
    a = two_provinces["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    client.force_login(a["monitor"])
    url = reverse("directives:delete", args=[directive.pk])

    assert vi("Delete this directive?") in client.get(url).content.decode()
    assert Directive.objects.filter(pk=directive.pk).exists()
    assert client.post(url).status_code == 302
    assert not Directive.objects.filter(pk=directive.pk).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_add_another_task_then_filter_the_list(page, login, two_provinces):
    a = two_provinces["a"]
    login(a["monitor"])
    page.goto(CREATE)
    page.select_option("#id_kind", "KL")
    page.fill("#id_code", "56-KL/TU")
    page.select_option("#id_issuer", str(a["committee"].pk))
    page.fill("#id_issued_on", "05/02/2025")
    page.fill("#id_subject", "về phong trào Dân vận khéo")
    page.fill("#id_tasks-0-title", "Quán triệt kết luận")
    page.fill("#id_tasks-0-due_on", "31/03/2025")
    page.get_by_test_id("add-task").click()
    page.fill("#id_tasks-1-title", "Báo cáo định kỳ")
    page.select_option("#id_tasks-1-deadline_kind", "ongoing")
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url("**/directives/*/")
    assert page.get_by_test_id("task").count() == 2

    page.goto(reverse("directives:list"))
    DirectiveFactory(issuer=a["committee"], code="1-CT/TU", subject="về công tác Đoàn")
    page.fill("#id_q", "dan van kheo")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=directive-row]').length === 1"
        " && location.search.includes('q=')"
    )
    assert "56-KL/TU" in page.locator("#directive-results").inner_text()
    assert Directive.objects.get(code="56-KL/TU").tasks.count() == 2
