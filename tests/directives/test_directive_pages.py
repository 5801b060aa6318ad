"""The directive list, the directive page, task assignment, history and attachments."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from directives.models import (
    Assignment,
    AssignmentRole,
    DeadlineKind,
    Directive,
    DirectiveAttachment,
    DirectiveKind,
    DirectiveReference,
    DirectiveStatus,
    Task,
)
from directives.status import local_today
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    ProgressReportFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Role, UnitKind, UnitLevel

pytestmark = pytest.mark.django_db

LIST = reverse("directives:list")


def vi(message: str) -> str:
    """The message as a Vietnamese user reads it (the msgid until it is translated)."""
    with translation.override("vi"):
        return gettext(message)


def codes(response) -> list[str]:
    return [d.code for d in response.context["rows"]]


def detail(directive: Directive) -> str:
    return reverse("directives:detail", args=[directive.pk])


@pytest.fixture
def world(two_provinces):
    return two_provinces


# --- List: search and filters -----------------------------------------------------------


def test_search_folds_accents_nfd_input_and_d_with_stroke(client, world):
    a = world["a"]
    kheo = DirectiveFactory(
        issuer=a["committee"], code="1-KL/TU", subject="về phong trào thi đua Dân vận khéo"
    )
    doan = DirectiveFactory(
        issuer=a["committee"], code="2-CT/TU", subject="về công tác Đoàn và phong trào thanh niên"
    )
    client.force_login(a["monitor"])

    assert codes(client.get(LIST, {"q": "dan van kheo"})) == [kheo.code]
    assert codes(client.get(LIST, {"q": "DÂN VẬN KHÉO"})) == [kheo.code]
    nfd = unicodedata.normalize("NFD", "Dân vận khéo")
    assert nfd != "Dân vận khéo"
    assert codes(client.get(LIST, {"q": nfd})) == [kheo.code]
    assert codes(client.get(LIST, {"q": "doan"})) == [doan.code]
    assert set(codes(client.get(LIST, {"q": "phong trao"}))) == {kheo.code, doan.code}
    assert codes(client.get(LIST, {"q": "không có văn bản này"})) == []


def test_filters_by_kind_year_status_issuer_and_monitoring_unit(client, world):
    a = world["a"]
    old = DirectiveFactory(
        issuer=a["committee"], kind=DirectiveKind.NQ, issued_on=datetime.date(2021, 3, 1)
    )
    new = DirectiveFactory(
        issuer=a["committee"],
        kind=DirectiveKind.KL,
        issued_on=datetime.date(2024, 5, 2),
        monitoring_unit=a["board"],
    )
    done = DirectiveFactory(
        issuer=a["board"], kind=DirectiveKind.KH, status=DirectiveStatus.COMPLETED
    )
    client.force_login(a["monitor"])

    assert codes(client.get(LIST, {"kind": "NQ"})) == [old.code]
    assert codes(client.get(LIST, {"year": "2021"})) == [old.code]
    assert codes(client.get(LIST, {"status": "completed"})) == [done.code]
    assert codes(client.get(LIST, {"issuer_id": a["board"].pk})) == [done.code]
    assert set(codes(client.get(LIST, {"issuer": "tinh uy hai duong"}))) == {old.code, new.code}
    assert codes(client.get(LIST, {"monitoring_unit_id": a["board"].pk})) == [new.code]


def test_list_shows_counts_progress_and_assignment_summary(client, world):
    a = world["a"]
    today = local_today()
    directive = DirectiveFactory(issuer=a["committee"], code="9-KL/TU")
    DirectiveFactory(issuer=a["committee"], status=DirectiveStatus.DRAFT)
    late = TaskFactory(directive=directive, due_on=today - datetime.timedelta(days=3))
    soon = TaskFactory(directive=directive, due_on=today + datetime.timedelta(days=2))
    AssignmentFactory(task=late, unit=a["front"])  # overdue, 0%
    AssignmentFactory(task=soon, unit=a["front"], progress=50)  # due soon
    AssignmentFactory(task=soon, unit=a["commune"], completed_on=today)  # done → 100
    client.force_login(a["monitor"])

    response = client.get(LIST)

    row = next(d for d in response.context["rows"] if d.pk == directive.pk)
    assert row.task_count == 2
    # task 1: 0 %, task 2: mean(50, 100) = 75 %, directive: mean(0, 75) = 37.5 %
    assert row.progress == pytest.approx(37.5)
    assert row.assignment_summary == {"total": 3, "overdue": 1, "due_soon": 1, "done": 1}
    counts = {value: n for value, _label, n in response.context["status_counts"]}
    assert counts["in_force"] == 1 and counts["draft"] == 1
    html = response.content.decode()
    assert "1 " + vi("overdue") in html
    assert "1/3 " + vi("done") in html


def test_status_counts_follow_every_filter_but_the_status_one(client, world):
    a = world["a"]
    DirectiveFactory(issuer=a["committee"], kind="KL", status=DirectiveStatus.DRAFT)
    DirectiveFactory(issuer=a["committee"], kind="KL")
    DirectiveFactory(issuer=a["committee"], kind="NQ")
    client.force_login(a["monitor"])

    response = client.get(LIST, {"kind": "KL", "status": "draft"})

    counts = {value: n for value, _label, n in response.context["status_counts"]}
    assert counts["draft"] == 1 and counts["in_force"] == 1  # the NQ is not counted
    assert len(response.context["rows"]) == 1


@pytest.mark.parametrize(
    "filters",
    [{}, {"kind": "KL"}, {"kind": "KL", "status": "draft"}, {"kind": "KL", "year": "1800"}],
)
def test_pager_total_is_the_number_of_rows_the_list_shows(client, world, filters):
    """The total is read off the counts by status (of the chosen status, if any); with an
    invalid filter (a year no directive has) the pager counts the rows itself."""
    a = world["a"]
    DirectiveFactory(issuer=a["committee"], kind="KL", status=DirectiveStatus.DRAFT)
    DirectiveFactory(issuer=a["committee"], kind="KL")
    DirectiveFactory(issuer=a["committee"], kind="NQ")
    client.force_login(a["monitor"])

    response = client.get(LIST, filters)

    page = response.context["page_obj"]
    assert page.paginator.count == len(response.context["rows"]) > 0


def test_htmx_filter_returns_the_results_block_only(client, world):
    a = world["a"]
    DirectiveFactory(issuer=a["committee"], code="7-KL/TU", subject="về công tác dân vận")
    client.force_login(a["monitor"])

    response = client.get(LIST, {"q": "dan van"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="directive-results"' in html
    assert "7-KL/TU" in html
    assert "<nav" not in html.split('id="directive-results"')[0]
    assert "<html" not in html


def test_empty_list_says_so(client, world):
    client.force_login(world["a"]["monitor"])
    response = client.get(LIST, {"q": "zzz"})
    assert vi("No directive matches these filters.") in response.content.decode()


def test_confidential_subject_is_hidden_on_the_list(client, world):
    a = world["a"]
    DirectiveFactory(issuer=a["committee"], code="3-CT/TU", subject="bí mật", confidential=True)
    client.force_login(a["monitor"])
    html = client.get(LIST).content.decode()
    assert "3-CT/TU" in html
    assert "bí mật" not in html


# --- Scoping ----------------------------------------------------------------------------


def test_monitor_of_province_a_never_reaches_province_b(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    a, b = world["a"], world["b"]
    mine = DirectiveFactory(issuer=a["committee"], code="1-KL/TU", subject="của tỉnh A")
    theirs = DirectiveFactory(issuer=b["committee"], code="2-KL/TU", subject="của tỉnh B")
    task = TaskFactory(directive=theirs)
    AssignmentFactory(task=task, unit=b["front"])
    attachment = DirectiveAttachment.objects.create(
        directive=theirs, file=ContentFile(b"%PDF-1.4", name="b.pdf"), original_name="b.pdf", size=8
    )
    client.force_login(a["monitor"])

    listing = client.get(LIST)
    assert codes(listing) == [mine.code]
    issuer_choices = {u.pk for u in listing.context["filter"].form.fields["issuer_id"].queryset}
    assert b["committee"].pk not in issuer_choices and a["committee"].pk in issuer_choices
    assert "Phú Yên" not in listing.content.decode()
    partial = client.get(LIST, {"q": "tinh B"}, HTTP_HX_REQUEST="true")
    assert "2-KL/TU" not in partial.content.decode()
    # Tampering with the issuer filter shows nothing of B.
    tampered = client.get(LIST, {"issuer_id": b["committee"].pk})
    assert "2-KL/TU" not in tampered.content.decode()

    assert client.get(detail(theirs)).status_code == 404
    assert client.get(reverse("directives:history", args=[theirs.pk])).status_code == 404
    url = reverse("directives:attachment", args=[theirs.pk, attachment.pk])
    assert client.get(url).status_code == 404
    # Nor through A's own directive with B's attachment id.
    url = reverse("directives:attachment", args=[mine.pk, attachment.pk])
    assert client.get(url).status_code == 404
    assign = reverse("directives:task_assign", args=[theirs.pk, task.pk])
    response = client.post(assign, {"units": [a["front"].pk], "role": "lead"})
    assert response.status_code == 404
    assert Assignment.objects.filter(task=task).count() == 1


def test_attachment_is_downloaded_through_the_scoped_view(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    attachment = DirectiveAttachment.objects.create(
        directive=directive,
        file=ContentFile(b"%PDF-1.4 test", name="kl.pdf"),
        original_name="Kết luận 56.pdf",
        size=13,
    )
    client.force_login(a["monitor"])
    response = client.get(reverse("directives:attachment", args=[directive.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]


def test_staff_see_only_their_units_assignments_on_the_directive_page(client, world):
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    task = TaskFactory(directive=directive)
    AssignmentFactory(task=task, unit=a["front"])
    AssignmentFactory(task=task, unit=a["commune"])
    client.force_login(a["staff"])  # staff of the Front

    response = client.get(detail(directive))

    [shown] = response.context["tasks"]
    assert [x.unit for x in shown.visible_assignments] == [a["front"]]
    assert a["commune"].name not in response.content.decode()


# --- Detail -----------------------------------------------------------------------------


@pytest.fixture
def central_chain(db):
    """25-NQ/TW → 43-KL/TW (central) → 872-CV/TU (a province under the centre)."""
    centre = UnitFactory(name="Ban Chấp hành Trung ương", level=UnitLevel.CENTRAL)
    province = UnitFactory(name="Tỉnh ủy Quảng Ngãi", parent=centre)
    board = UnitFactory(name="Ban Dân vận Tỉnh ủy", kind=UnitKind.PARTY_BOARD, parent=province)
    monitor = UserFactory(unit=board, role=Role.MONITOR)
    nq25 = DirectiveFactory(
        issuer=centre, kind="NQ", code="25-NQ/TW", issued_on=datetime.date(2013, 6, 3)
    )
    kl43 = DirectiveFactory(
        issuer=centre,
        kind="KL",
        code="43-KL/TW",
        issued_on=datetime.date(2023, 1, 7),
        implements=nq25,
    )
    cv872 = DirectiveFactory(
        issuer=province,
        kind="CV",
        code="872-CV/TU",
        issued_on=datetime.date(2023, 3, 1),
        implements=kl43,
    )
    return {"monitor": monitor, "nq25": nq25, "kl43": kl43, "cv872": cv872, "centre": centre}


def test_directive_page_shows_the_chain_up_and_down(client, central_chain):
    c = central_chain
    client.force_login(c["monitor"])

    page = client.get(detail(c["cv872"]))
    assert [d.code for d in page.context["chain_up"]] == ["25-NQ/TW", "43-KL/TW"]
    chain = page.content.decode().split('data-testid="implements"')[1].split("</ol>")[0]
    assert chain.index("25-NQ/TW") < chain.index("43-KL/TW") < chain.index("872-CV/TU")

    middle = client.get(detail(c["kl43"]))
    assert [d.code for d in middle.context["chain_up"]] == ["25-NQ/TW"]
    assert [d.code for d in middle.context["implementations"]] == ["872-CV/TU"]
    assert reverse("directives:detail", args=[c["cv872"].pk]) in middle.content.decode()


def test_references_are_linked_when_known_and_cited_as_text_otherwise(client, central_chain):
    c = central_chain
    DirectiveReference.objects.create(directive=c["cv872"], cited_code="25-NQ/TW", target=c["nq25"])
    DirectiveReference.objects.create(
        directive=c["cv872"],
        cited_code="120-KH/TU",
        cited_date=datetime.date(2022, 5, 10),
        cited_issuer="Tỉnh ủy",
    )
    client.force_login(c["monitor"])

    html = client.get(detail(c["cv872"])).content.decode()

    assert f'href="{detail(c["nq25"])}">25-NQ/TW' in html
    assert "120-KH/TU" in html and "10/05/2022" in html


def test_issuer_shows_the_name_it_had_when_the_document_was_issued(client, world):
    from units.models import UnitChange

    a = world["a"]
    board = a["board"]
    UnitChange.objects.create(
        unit=board,
        kind=UnitChange.Kind.RENAME,
        effective_on=datetime.date(2025, 7, 1),
        old_name="Ban Dân vận Tỉnh ủy Hải Dương (cũ)",
        new_name=board.name,
    )
    directive = DirectiveFactory(issuer=board, issued_on=datetime.date(2024, 1, 1))
    client.force_login(a["monitor"])
    response = client.get(detail(directive))
    assert response.context["issuer_name"] == "Ban Dân vận Tỉnh ủy Hải Dương (cũ)"


def test_tasks_show_units_roles_dates_progress_and_rolled_up_status(client, world):
    a = world["a"]
    today = local_today()
    directive = DirectiveFactory(issuer=a["committee"])
    task = TaskFactory(directive=directive, section="2.1", due_on=today + datetime.timedelta(3))
    AssignmentFactory(
        task=task,
        unit=a["front"],
        due_on=today + datetime.timedelta(30),
        original_due_on=today - datetime.timedelta(10),
        progress=40,
    )
    AssignmentFactory(
        task=task,
        unit=a["commune"],
        role=AssignmentRole.COORDINATING,
        due_on=today - datetime.timedelta(1),
    )
    client.force_login(a["monitor"])

    response = client.get(detail(directive))

    [shown] = response.context["tasks"]
    # Only the lead counts: the coordinating unit being overdue does not make the task so.
    assert shown.status == "not_due"
    assert shown.progress == 40
    html = response.content.decode()
    assert a["front"].name in html and a["commune"].name in html
    assert (today - datetime.timedelta(10)).strftime("%d/%m/%Y") in html  # original date
    assert 'data-status="overdue"' in html  # the coordinating unit's own badge
    assert reverse("progress:assignment_detail", args=[Assignment.objects.first().pk]) in html


def test_directive_page_404_outside_scope(client, world):
    theirs = DirectiveFactory(issuer=world["b"]["committee"])
    client.force_login(world["a"]["staff"])
    assert client.get(detail(theirs)).status_code == 404


# --- Query counts -----------------------------------------------------------------------


def _fill(world, n: int) -> Directive:
    a = world["a"]
    first = None
    for i in range(n):
        directive = DirectiveFactory(issuer=a["committee"], code=f"{1000 + i}-KH/TU")
        task = TaskFactory(directive=directive)
        AssignmentFactory(task=task, unit=a["front"])
        first = first or directive
    return first


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world["a"]["monitor"])
    _fill(world, 10)
    few = _count(client, LIST)
    for i in range(100):
        d = DirectiveFactory(issuer=world["a"]["committee"], code=f"{5000 + i}-KH/TU")
        AssignmentFactory(task=TaskFactory(directive=d), unit=world["a"]["commune"])
    many = _count(client, LIST)
    assert many <= few


def test_detail_query_count_does_not_grow_with_tasks(client, world):
    a = world["a"]
    client.force_login(a["monitor"])
    directive = DirectiveFactory(issuer=a["committee"])

    def add_tasks(n: int) -> None:
        for _ in range(n):
            task = TaskFactory(directive=directive)
            AssignmentFactory(task=task, unit=a["front"])
            AssignmentFactory(task=task, unit=a["commune"], role=AssignmentRole.COORDINATING)

    add_tasks(10)
    few = _count(client, detail(directive))
    add_tasks(100)
    many = _count(client, detail(directive))
    assert many <= few <= 15


# --- Assignments ------------------------------------------------------------------------


@pytest.fixture
def town(world):
    """Thị ủy Đức Phổ with three commune party committees, a commune People's Committee
    and a ward's party committee of another town."""
    a = world["a"]
    town = UnitFactory(
        name="Thị ủy Đức Phổ", kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.DISTRICT,
        parent=a["committee"],
    )  # fmt: skip
    communes = [
        UnitFactory(name=f"Đảng ủy phường {n}", level=UnitLevel.COMMUNE, parent=town)
        for n in ("Phổ Ninh", "Phổ Hòa", "Phổ Vinh")
    ]
    UnitFactory(
        name="UBND phường Phổ Ninh", kind=UnitKind.PEOPLES_COMMITTEE,
        level=UnitLevel.COMMUNE, parent=town,
    )  # fmt: skip
    other_town = UnitFactory(name="Huyện ủy khác", level=UnitLevel.DISTRICT, parent=a["committee"])
    UnitFactory(name="Đảng ủy xã khác", level=UnitLevel.COMMUNE, parent=other_town)
    return {"town": town, "communes": communes}


def test_assign_every_commune_party_committee_under_a_town_in_one_action(client, world, town):
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    task = TaskFactory(directive=directive, due_on=datetime.date(2026, 12, 31))
    client.force_login(a["monitor"])
    url = reverse("directives:task_assign", args=[directive.pk, task.pk])

    response = client.post(
        url,
        {"parent": town["town"].pk, "kind": "party_committee", "level": "commune", "role": "lead"},
        follow=True,
    )

    assert response.status_code == 200
    assigned = set(Assignment.objects.filter(task=task).values_list("unit_id", flat=True))
    assert assigned == {u.pk for u in town["communes"]}
    assert all(x.due_on == datetime.date(2026, 12, 31) for x in task.assignments.all())
    messages = [str(m) for m in response.context["messages"]]
    assert any("3" in m for m in messages)


def test_assign_picked_units_with_own_due_date_and_role(client, world):
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    task = TaskFactory(directive=directive)
    client.force_login(a["monitor"])
    url = reverse("directives:task_assign", args=[directive.pk, task.pk])

    client.post(
        url,
        {"units": [a["front"].pk, a["commune"].pk], "role": "coordinating", "due_on": "05/04/2025"},
    )

    rows = Assignment.objects.filter(task=task)
    assert rows.count() == 2
    assert {r.role for r in rows} == {"coordinating"}
    assert {r.due_on for r in rows} == {datetime.date(2025, 4, 5)}


def test_assign_form_refuses_bad_input_and_units_outside_scope(client, world):
    a, b = world["a"], world["b"]
    directive = DirectiveFactory(issuer=a["committee"])
    task = TaskFactory(directive=directive)
    client.force_login(a["monitor"])
    url = reverse("directives:task_assign", args=[directive.pk, task.pk])

    nothing = client.post(url, {"role": "lead"})
    assert nothing.status_code == 400
    assert vi("Choose at least one unit, or a parent unit and a kind of units.") in (
        nothing.content.decode()
    )
    outside = client.post(url, {"units": [b["front"].pk], "role": "lead"})
    assert outside.status_code == 400
    half = client.post(url, {"parent": a["committee"].pk, "role": "lead"})
    assert half.status_code == 400
    bad_date = client.post(url, {"units": [a["front"].pk], "role": "lead", "due_on": "31/02/2024"})
    assert bad_date.status_code == 400
    assert vi("Enter a valid date as dd/mm/yyyy, e.g. 05/02/2025.") in bad_date.content.decode()
    assert not Assignment.objects.exists()


def test_only_monitors_assign_and_cancel(client, world):
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    task = TaskFactory(directive=directive)
    assignment = AssignmentFactory(task=task, unit=a["front"])
    client.force_login(a["staff"])
    url = reverse("directives:task_assign", args=[directive.pk, task.pk])
    assert client.post(url, {"units": [a["front"].pk], "role": "lead"}).status_code in (403, 404)
    cancel = reverse("directives:assignment_cancel", args=[directive.pk, assignment.pk])
    assert client.post(cancel).status_code in (403, 404)
    client.force_login(a["viewer"])
    assert client.post(cancel).status_code == 403
    assignment.refresh_from_db()
    assert not assignment.cancelled


def test_cancel_assignment_asks_first_then_cancels(client, world):
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    assignment = AssignmentFactory(task=TaskFactory(directive=directive), unit=a["front"])
    client.force_login(a["monitor"])
    url = reverse("directives:assignment_cancel", args=[directive.pk, assignment.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert vi("Cancel this assignment?") in confirm.content.decode()
    assignment.refresh_from_db()
    assert not assignment.cancelled

    client.post(url)
    assignment.refresh_from_db()
    assert assignment.cancelled
    page = client.get(detail(directive)).content.decode()
    assert 'data-status="cancelled"' in page


# --- History ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_history_shows_who_changed_what_newest_first(client, world):
    # Each request in its own transaction, as in production: events get distinct times.
    a = world["a"]
    monitor = a["monitor"]
    client.force_login(monitor)
    create = client.post(
        reverse("directives:create"),
        {
            "kind": "KL",
            "code": "56-KL/TU",
            "issuer": a["committee"].pk,
            "issued_on": "15/01/2024",
            "subject": "về công tác dân vận",
            "status": "in_force",
            "tasks-TOTAL_FORMS": "1",
            "tasks-INITIAL_FORMS": "0",
            "tasks-0-title": "Quán triệt kết luận",
            "tasks-0-deadline_kind": "date",
            "tasks-0-due_on": "30/06/2024",
        },
    )
    assert create.status_code == 302
    directive = Directive.objects.get(code="56-KL/TU")
    task = directive.tasks.get()
    client.post(
        reverse("directives:task_assign", args=[directive.pk, task.pk]),
        {"units": [a["front"].pk], "role": "lead"},
    )
    Directive.objects.filter(pk=directive.pk).update(subject="về công tác dân vận khéo")

    response = client.get(reverse("directives:history", args=[directive.pk]))

    assert response.status_code == 200
    entries = response.context["entries"]
    assert len(entries) == 4  # directive created, task created, assignment, bulk update
    assert entries[0]["changes"] == [
        (Directive._meta.get_field("subject").verbose_name, "về công tác dân vận",
         "về công tác dân vận khéo"),
    ]  # fmt: skip
    assert entries[0]["user"] is None  # a bulk update outside any request
    assert all(e["user"] == monitor for e in entries[1:])
    html = response.content.decode()
    assert a["front"].name in html and "Quán triệt kết luận" in html


def test_history_is_for_monitors_and_admins_only(client, world):
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    url = reverse("directives:history", args=[directive.pk])
    client.force_login(a["viewer"])
    assert client.get(url).status_code == 403
    client.force_login(a["monitor"])
    assert client.get(url).status_code == 200


def test_progress_report_keeps_a_task_from_being_deleted(client, world):
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    task = TaskFactory(directive=directive)
    ProgressReportFactory(assignment=AssignmentFactory(task=task, unit=a["front"]))
    client.force_login(a["monitor"])

    client.post(reverse("directives:task_delete", args=[directive.pk, task.pk]))
    client.post(reverse("directives:delete", args=[directive.pk]))

    assert Task.objects.filter(pk=task.pk).exists()
    assert Directive.objects.filter(pk=directive.pk).exists()


def test_deleting_a_task_asks_for_confirmation(client, world):
    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"])
    task = TaskFactory(directive=directive, deadline_kind=DeadlineKind.DATE)
    client.force_login(a["monitor"])
    url = reverse("directives:task_delete", args=[directive.pk, task.pk])

    assert vi("Delete this task?") in client.get(url).content.decode()
    assert Task.objects.filter(pk=task.pk).exists()
    client.post(url)
    assert not Task.objects.filter(pk=task.pk).exists()


# --- Admin ------------------------------------------------------------------------------


def test_admin_lists_and_searches_every_directives_model(client, world):
    from django.contrib import admin

    a = world["a"]
    directive = DirectiveFactory(issuer=a["committee"], subject="về Dân vận khéo")
    ProgressReportFactory(assignment=AssignmentFactory(task=TaskFactory(directive=directive)))
    admin_user = UserFactory(unit=None, role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    for model in (
        Directive,
        Task,
        Assignment,
        DirectiveReference,
        DirectiveAttachment,
    ) + tuple(m for m in admin.site._registry if m._meta.app_label == "directives"):
        url = reverse(f"admin:directives_{model._meta.model_name}_changelist")
        assert client.get(url, {"q": "dan van"}).status_code == 200, url
    found = client.get(reverse("admin:directives_directive_changelist"), {"q": "dan van kheo"})
    assert directive.code in found.content.decode()
    change = reverse("admin:directives_directive_change", args=[directive.pk])
    assert client.get(change).status_code == 200
