"""The leaks found by probing the demo as each role, each shown on the demo's real shape:
the Central Committee at the root, provinces under it, communes under the provinces."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from directives.models import Directive, DirectiveReference, ReportStatus
from directives.selectors import directive_list_for_user, directive_status_counts
from directives.services import directive_save
from reports.filtersets import DashboardFilterSet
from tests.access.world import build_world
from tests.factories import AssignmentFactory, ProgressReportFactory, TaskFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(with_files=True)


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


# --- 1. Documents of sibling provinces, districts and communes ------------------------------


def test_commune_staff_see_their_own_the_committees_above_and_the_central_bodies_only(world):
    a, b, c = world.a, world.b, world.central_docs
    staff = a.users["staff"]
    expected = {
        c["politburo"].code,  # the Politburo, the Secretariat, the Central Committee and
        c["secretariat"].code,  # its boards speak to everyone
        c["committee"].code,
        c["board"].code,
        a.docs["province"].code,  # the committees directly above: province and district
        a.docs["district"].code,
        a.docs["commune"].code,  # their own
    }
    assert codes(Directive.objects.visible_to(staff)) == expected
    # Never a peer commune's, a sibling province's, or anything confidential not theirs.
    for hidden in (a.docs["peer_commune"], b.docs["province"], b.docs["commune"], c["secret"]):
        assert not Directive.objects.visible_to(staff).filter(pk=hidden.pk).exists()


def test_province_monitor_never_sees_another_provinces_documents(world):
    a, b, c = world.a, world.b, world.central_docs
    visible = codes(Directive.objects.visible_to(a.users["monitor"]))
    assert visible == {d.code for d in a.docs.values()} | {
        c[k].code for k in ("politburo", "secretariat", "committee", "board")
    }
    assert not visible & {d.code for d in b.docs.values()}


def test_the_central_monitor_sees_every_province(world):
    visible = codes(Directive.objects.visible_to(world.central_monitor))
    assert {d.code for side in world.sides.values() for d in side.docs.values()} <= visible


def test_list_counts_pages_filters_and_files_hide_the_sibling_province(client, world):
    a, b = world.a, world.b
    theirs = b.docs["province"]
    for user in (a.users["staff"], a.users["monitor"], a.users["leader"]):
        client.force_login(user)
        body = client.get(reverse("directives:list")).content.decode()
        for doc in b.docs.values():
            assert doc.code not in body, (user.username, doc.code)
        rows, filterset = directive_list_for_user(user=user, filters={})
        counts = directive_status_counts(filterset=filterset)
        assert sum(n for _value, _label, n in counts) == Directive.objects.visible_to(user).count()
        assert sum(n for _value, _label, n in counts) == rows.count()
        assert client.get(reverse("directives:detail", args=[theirs.pk])).status_code == 404
        attachment = b.objects["attachment"]
        url = reverse("directives:attachment", args=[theirs.pk, attachment.pk])
        assert client.get(url).status_code == 404
        assert client.get(reverse("reports:dashboard"), {"directive": theirs.pk}).status_code == 404
        drill = reverse("reports:directive_drill", args=[theirs.pk])
        assert client.get(drill).status_code == 404
        offered = DashboardFilterSet(user=user, queryset=Unit.objects.none()).filters["directive"]
        assert not offered.queryset.filter(pk=theirs.pk).exists()


def test_a_peer_communes_resolution_stays_in_that_commune(client, world):
    a = world.a
    client.force_login(a.users["staff"])
    peer = a.docs["peer_commune"]
    assert client.get(reverse("directives:detail", args=[peer.pk])).status_code == 404
    assert peer.code not in client.get(reverse("directives:list")).content.decode()


# --- 2. History of a directive seen by several provinces --------------------------------------


def test_history_shows_only_the_assignments_of_units_the_user_may_see(client, world):
    a, b = world.a, world.b
    politburo = world.central_docs["politburo"]
    client.force_login(a.users["monitor"])
    response = client.get(reverse("directives:history", args=[politburo.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert a.units["front"].name in body
    assert b.units["front"].name not in body
    # The central monitor sees both.
    client.force_login(world.central_monitor)
    body = client.get(reverse("directives:history", args=[politburo.pk])).content.decode()
    assert a.units["front"].name in body and b.units["front"].name in body


def test_history_shows_decisions_only_on_assignments_of_units_the_user_may_see(client, world):
    """Returned reports, refused extensions and explanations on a directive reaching both
    provinces: each province's monitor reads its own units' only; the centre reads both."""
    from directives import services as progress
    from directives.models import Assignment
    from directives.status import local_today

    politburo = world.central_docs["politburo"]
    reviewer = world.central_monitor
    late = local_today() - datetime.timedelta(days=3)
    for key, side in world.sides.items():
        assignment = side.objects["central_assignment"]
        Assignment.objects.filter(pk=assignment.pk).update(due_on=late)
        assignment.refresh_from_db()
        leader = side.users["leader"]
        report = ProgressReportFactory(assignment=assignment, author=leader)
        progress.progress_review(
            report=report, reviewer=reviewer, accept=False, comment=f"Trả lại tỉnh {key}"
        )
        extension = progress.extension_request_create(
            assignment=assignment, by=leader, proposed_due_on=late + datetime.timedelta(days=60),
            reason=f"Xin gia hạn tỉnh {key}",
        )  # fmt: skip
        progress.extension_decide(
            request=extension, by=reviewer, approve=False, comment=f"Không đồng ý tỉnh {key}"
        )
        asked = progress.explanation_request_create(
            assignment=assignment, by=reviewer, message=f"Giải trình tỉnh {key}"
        )
        progress.explanation_answer(request=asked, by=leader, answer=f"Trả lời tỉnh {key}")
    said = ("Trả lại tỉnh", "Xin gia hạn tỉnh", "Không đồng ý tỉnh", "Giải trình tỉnh",
            "Trả lời tỉnh")  # fmt: skip
    url = reverse("directives:history", args=[politburo.pk])

    client.force_login(world.a.users["monitor"])
    body = client.get(url).content.decode()
    assert all(f"{text} a" in body for text in said)
    assert not any(f"{text} b" in body for text in said)
    assert world.b.units["front"].name not in body
    client.force_login(world.central_monitor)
    body = client.get(url).content.decode()
    assert all(f"{text} {key}" in body for text in said for key in "ab")


# --- 3. Review decided by the same rule as seeing the assignment -----------------------------


def test_a_monitor_cannot_review_a_report_on_an_assignment_they_cannot_see(client, world):
    a, b = world.a, world.b
    # An administrator gave a task of province A's conclusion to province B's Front.
    task = TaskFactory(directive=a.docs["province"], title="Việc giao sang tỉnh khác")
    elsewhere = AssignmentFactory(task=task, unit=b.units["front"])
    report = ProgressReportFactory(assignment=elsewhere, author=b.users["leader"])
    monitor = a.users["monitor"]
    client.force_login(monitor)
    page = reverse("progress:assignment_detail", args=[elsewhere.pk])
    assert client.get(page).status_code == 404
    queue = client.get(reverse("progress:review_queue")).content.decode()
    assert b.units["front"].name not in queue
    response = client.post(
        reverse("progress:report_review", args=[report.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not monitor.has_perm("directives.review_assignment", elsewhere)
    # The assignment in their own province: seen and reviewed alike.
    own = a.objects["assignment"]
    assert client.get(reverse("progress:assignment_detail", args=[own.pk])).status_code == 200
    assert monitor.has_perm("directives.review_assignment", own)


# --- 4. Linking never writes outside the user's editable scope ------------------------------


def test_entering_a_cited_document_does_not_relink_another_provinces_directives(world):
    a, b = world.a, world.b
    waiting = b.docs["province"]
    DirectiveReference.objects.create(directive=waiting, cited_code="999-KL/TU")
    carrying_out = b.docs["district"]
    carrying_out.subject = "Thực hiện Kết luận số 999-KL/TU của Ban Thường vụ Tỉnh ủy"
    carrying_out.save()
    DirectiveReference.objects.create(directive=carrying_out, cited_code="999-KL/TU")
    own = DirectiveReference.objects.create(directive=a.docs["district"], cited_code="999-KL/TU")

    new = directive_save(
        directive=Directive(
            kind="KL",
            number="999",
            code="999-KL/TU",
            issuer=a.units["committee"],
            issued_on=a.docs["province"].issued_on,
            subject="về một việc của tỉnh A",
        ),
        by=a.users["monitor"],
    )

    assert not DirectiveReference.objects.filter(directive__in=[waiting, carrying_out]).exclude(
        target=None
    )
    carrying_out.refresh_from_db()
    assert carrying_out.implements_id is None
    own.refresh_from_db()
    assert own.target_id == new.pk  # inside the monitor's province it still links


# --- 5. The import review says the same for a hidden document and an unknown one -------------


IMPORT_TEXT = """TỈNH ỦY HẢI DƯƠNG
*
Số 150-KH/TU
Hải Dương, ngày 05 tháng 3 năm 2024
KẾ HOẠCH
về tổ chức đối thoại với Nhân dân năm 2024

Căn cứ Kết luận số 101-KL/TU ngày 15/01/2024 của Ban Thường vụ Tỉnh ủy;
căn cứ Chỉ thị số 502-CT/TU ngày 15/01/2024 của Ban Thường vụ Tỉnh ủy Phú Yên;
căn cứ Chỉ thị số 888-CT/TU ngày 15/01/2024 của Ban Thường vụ Tỉnh ủy Hà Nam.

1. Ủy ban MTTQ Việt Nam tỉnh chủ trì tổ chức đối thoại trước ngày 30/6/2024.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Nguyễn Văn A
"""


def test_import_review_does_not_reveal_a_hidden_documents_existence(client, world):
    a, b = world.a, world.b
    hidden = b.docs["secret"]
    assert hidden.code == "502-CT/TU"
    client.force_login(a.users["monitor"])
    started = client.post(reverse("directives:import"), {"text": IMPORT_TEXT})
    assert started.status_code == 302
    response = client.get(started["Location"])
    refs = {r["code"]: r for r in response.context["references"]}
    assert {"101-KL/TU", "502-CT/TU", "888-CT/TU"} <= refs.keys()
    assert refs["101-KL/TU"]["known"] is True
    assert refs["502-CT/TU"]["known"] == refs["888-CT/TU"]["known"] is False
    body = response.content.decode()
    assert body.count(vi("in the system: will be linked")) == 1
