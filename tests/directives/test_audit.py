"""The audit trail: deleting a directive or a task, explanations asked and given, files
added and removed, reports returned and extensions decided each leave an event naming
who and when, and the directive's history page tells them in words."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from directives import services
from directives.models import (
    Assignment,
    Directive,
    DirectiveAttachment,
    ExplanationRequest,
    ExtensionRequest,
    Task,
)
from tests.directives.test_directive_forms import form_data
from tests.directives.test_progress_services import build_world, days
from tests.factories import AssignmentFactory, DirectiveFactory, TaskFactory, UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(two_provinces)


def events(model: str, pk: int) -> list[tuple[str, int | None]]:
    """(label, user id from the recorded context) of each event of one object, oldest first."""
    event_model = apps.get_model("directives", f"{model}Event")
    rows = event_model.objects.filter(pgh_obj_id=pk).select_related("pgh_context")
    return [
        (e.pgh_label, e.pgh_context.metadata.get("user") if e.pgh_context else None)
        for e in rows.order_by("pgh_id")
    ]


def history(client, directive) -> str:
    response = client.get(reverse("directives:history", args=[directive.pk]))
    assert response.status_code == 200
    return response.content.decode()


def vi(message: str, **values) -> str:
    with translation.override("vi"):
        return translation.gettext(message) % values


# --- Deleting ---------------------------------------------------------------------------


def test_deleting_a_directive_keeps_the_document_and_who_deleted_it(client, world):
    p = world["a"]
    directive = p["directive"]
    task, assignment = p["task"], p["assignment"]
    client.force_login(p["monitor"])

    response = client.post(reverse("directives:delete", args=[directive.pk]))

    assert response.status_code == 302
    assert not Directive.objects.filter(pk=directive.pk).exists()
    assert events("Directive", directive.pk)[-1] == ("delete", p["monitor"].pk)
    # What went with it is recorded as deleted by the same person.
    assert events("Task", task.pk)[-1] == ("delete", p["monitor"].pk)
    assert events("Assignment", assignment.pk)[-1] == ("delete", p["monitor"].pk)
    deleted = apps.get_model("directives", "DirectiveEvent").objects.get(
        pgh_obj_id=directive.pk, pgh_label="delete"
    )
    assert (deleted.code, deleted.subject) == (directive.code, directive.subject)


def test_deleting_a_task_is_on_the_directive_history_with_who_did_it(client, world):
    p = world["a"]
    directive, task = p["directive"], p["task"]
    client.force_login(p["monitor"])

    client.post(reverse("directives:task_delete", args=[directive.pk, task.pk]))

    assert not Task.objects.filter(pk=task.pk).exists()
    assert events("Task", task.pk)[-1] == ("delete", p["monitor"].pk)
    response = client.get(reverse("directives:history", args=[directive.pk]))
    deleted = {
        (e["object"], e["user"]) for e in response.context["entries"] if e["label"] == "delete"
    }
    # The task, and its assignment named by the task as it was.
    assert deleted == {(str(task), p["monitor"]), (str(p["assignment"]), p["monitor"])}
    assert vi("deleted") in response.content.decode()


def test_a_delete_outside_any_request_still_names_the_person(world):
    """A command or a shell calling the service: no middleware, the service names them."""
    p = world["a"]
    task_pk = p["task"].pk
    services.task_delete(task=p["task"], by=p["monitor"])
    assert events("Task", task_pk)[-1] == ("delete", p["monitor"].pk)
    directive = DirectiveFactory(issuer=p["committee"])
    directive_pk = directive.pk
    services.directive_delete(directive=directive, by=p["monitor"])
    assert events("Directive", directive_pk)[-1] == ("delete", p["monitor"].pk)


# --- Explanations -----------------------------------------------------------------------


def test_explanation_asked_and_given_are_recorded_and_on_the_history(client, world):
    p = world["a"]
    assignment = p["assignment"]
    Assignment.objects.filter(pk=assignment.pk).update(due_on=days(-3))
    client.force_login(p["monitor"])
    url = reverse("progress:explanation_request", args=[assignment.pk])
    assert client.post(url, {"message": "Đề nghị giải trình lý do chậm"}).status_code == 302
    explanation = ExplanationRequest.objects.get()
    client.force_login(p["staff"])
    answer_url = reverse("progress:explanation_answer", args=[explanation.pk])
    assert client.post(answer_url, {"answer": "Do chưa có kinh phí."}).status_code == 302

    assert events("ExplanationRequest", explanation.pk) == [
        ("insert", p["monitor"].pk),
        ("update", p["staff"].pk),
    ]
    client.force_login(p["monitor"])
    response = client.get(reverse("directives:history", args=[p["directive"].pk]))
    lines = {e["summary"]: e["user"] for e in response.context["entries"] if e["summary"]}
    asked = vi("Asked for an explanation.") + " “Đề nghị giải trình lý do chậm”"
    given = vi("Gave the explanation asked for.") + " “Do chưa có kinh phí.”"
    assert lines == {asked: p["monitor"], given: p["staff"]}
    assert asked in response.content.decode()


# --- Files ------------------------------------------------------------------------------


def test_files_added_and_removed_are_recorded_and_on_the_history(client, world):
    p = world["a"]
    client.force_login(p["monitor"])
    upload = SimpleUploadedFile("56-KL.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    data = {**form_data(p["committee"]), "attachment": upload}
    assert client.post(reverse("directives:create"), data).status_code == 302
    directive = Directive.objects.get(code=data["code"])
    attachment = DirectiveAttachment.objects.get(directive=directive)
    admin = UserFactory(unit=None, role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:directives_directiveattachment_delete", args=[attachment.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not DirectiveAttachment.objects.exists()
    assert events("DirectiveAttachment", attachment.pk) == [
        ("insert", p["monitor"].pk),
        ("delete", admin.pk),
    ]
    client.force_login(p["monitor"])
    response = client.get(reverse("directives:history", args=[directive.pk]))
    lines = {e["summary"]: e["user"] for e in response.context["entries"] if e["summary"]}
    assert lines == {
        vi("Attached the file %(name)s.", name="56-KL.pdf"): p["monitor"],
        vi("Removed the file %(name)s.", name="56-KL.pdf"): admin,
    }


def test_a_file_stored_outside_a_request_names_who_uploaded_it(client, world):
    p = world["a"]
    DirectiveAttachment.objects.create(
        directive=p["directive"],
        file=ContentFile(b"%PDF-1.4", name="kl.pdf"),
        original_name="kl.pdf",
        size=8,
        uploaded_by=p["monitor"],
    )
    client.force_login(p["monitor"])
    response = client.get(reverse("directives:history", args=[p["directive"].pk]))
    [entry] = [e for e in response.context["entries"] if e["summary"]]
    assert entry["user"] == p["monitor"]


# --- Decisions on the history page ------------------------------------------------------


def test_returned_report_and_refused_extension_are_on_the_history_with_who(client, world):
    p = world["a"]
    report = services.assignment_submit_progress(
        assignment=p["assignment"], author=p["staff"], percent=30, results="Đã triển khai."
    )
    client.force_login(p["monitor"])
    review = reverse("progress:report_review", args=[report.pk])
    returning = {"decision": "return", "comment": "Thiếu số liệu"}
    assert client.post(review, returning).status_code == 302
    client.force_login(p["staff"])
    ask = reverse("progress:extension_request", args=[p["assignment"].pk])
    new_day = days(40).strftime("%d/%m/%Y")
    asking = {"proposed_due_on": new_day, "reason": "Chờ kinh phí"}
    assert client.post(ask, asking).status_code == 302
    client.force_login(p["monitor"])
    decide = reverse("progress:extension_decide", args=[ExtensionRequest.objects.get().pk])
    refusing = {"decision": "refuse", "comment": "Không có căn cứ"}
    assert client.post(decide, refusing).status_code == 302

    response = client.get(reverse("directives:history", args=[p["directive"].pk]))

    lines = {e["summary"]: e["user"] for e in response.context["entries"] if e["summary"]}
    old_day = days(20).strftime("%d/%m/%Y")
    today = report.reported_on.strftime("%d/%m/%Y")
    returned = vi("Returned the progress report of %(day)s (%(percent)s%%).", day=today, percent=30)
    asked = vi("Asked to move the due date from %(old)s to %(new)s.", old=old_day, new=new_day)
    refused = vi("Refused to move the due date from %(old)s to %(new)s.", old=old_day, new=new_day)
    assert lines == {
        returned + " “Thiếu số liệu”": p["monitor"],
        asked + " “Chờ kinh phí”": p["staff"],
        refused + " “Không có căn cứ”": p["monitor"],
    }
    body = response.content.decode()
    assert "Thiếu số liệu" in body and "Không có căn cứ" in body
    # The object of each line is the assignment: the task and the unit holding it.
    objects = {e["object"] for e in response.context["entries"] if e["summary"]}
    assert objects == {str(p["assignment"])}


def test_accepted_report_and_approved_extension_are_on_the_history(client, world):
    p = world["a"]
    report = services.assignment_submit_progress(
        assignment=p["assignment"], author=p["staff"], percent=70, results="Đã triển khai."
    )
    services.progress_review(report=report, reviewer=p["monitor"], accept=True)
    extension = services.extension_request_create(
        assignment=p["assignment"], by=p["staff"], proposed_due_on=days(40), reason="Mưa bão"
    )
    services.extension_decide(request=extension, by=p["monitor"], approve=True)

    client.force_login(p["monitor"])
    response = client.get(reverse("directives:history", args=[p["directive"].pk]))

    # Outside a request the rows' own names say who: the reviewer, the asker, the decider.
    lines = {e["summary"]: e["user"] for e in response.context["entries"] if e["summary"]}
    old_day, new_day = days(20).strftime("%d/%m/%Y"), days(40).strftime("%d/%m/%Y")
    today = report.reported_on.strftime("%d/%m/%Y")
    accepted = vi("Accepted the progress report of %(day)s (%(percent)s%%).", day=today, percent=70)
    asked = vi("Asked to move the due date from %(old)s to %(new)s.", old=old_day, new=new_day)
    approved = vi("Approved moving the due date from %(old)s to %(new)s.", old=old_day, new=new_day)
    assert lines == {
        accepted: p["monitor"],
        asked + " “Mưa bão”": p["staff"],
        approved: p["monitor"],
    }


def test_a_submitted_report_alone_adds_no_decision_line(client, world):
    p = world["a"]
    services.assignment_submit_progress(
        assignment=p["assignment"], author=p["staff"], percent=30, results="Đã triển khai."
    )
    client.force_login(p["monitor"])
    response = client.get(reverse("directives:history", args=[p["directive"].pk]))
    assert not [e for e in response.context["entries"] if e["summary"]]


def test_history_page_queries_do_not_grow_with_decisions(
    client, world, django_assert_max_num_queries
):
    p = world["a"]
    task = TaskFactory(directive=p["directive"], due_on=days(20))
    client.force_login(p["monitor"])
    url = reverse("directives:history", args=[p["directive"].pk])
    for unit_key in ("commune", "commune_front"):
        assignment = AssignmentFactory(task=task, unit=p[unit_key])
        extension = services.extension_request_create(
            assignment=assignment,
            by=UserFactory(unit=p[unit_key], role=Role.STAFF),
            proposed_due_on=days(40),
            reason="Lý do",
        )
        services.extension_decide(
            request=extension, by=p["monitor"], approve=False, comment="Không"
        )
    with django_assert_max_num_queries(25) as captured:
        assert client.get(url).status_code == 200
    baseline = len(captured)
    for n in range(3):
        extra = TaskFactory(directive=p["directive"], due_on=days(20))
        assignment = AssignmentFactory(task=extra, unit=p["front"])
        extension = services.extension_request_create(
            assignment=assignment, by=p["staff"], proposed_due_on=days(40), reason=f"Lý do {n}"
        )
        services.extension_decide(request=extension, by=p["monitor"], approve=False, comment="x")
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200
