"""The demo's directives: the seed documents imported from their text, the central
documents they cite, each province board's yearly programmes of the last two years and
this year's plan of a Ban Dân vận, assigned to the demo units; and their history, written
in stretches between the steps of the 2025 reorganisation (``sampledata.reorganisation``).
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from directives.importing.apply import directive_import, proposal_from_text
from directives.models import (
    Assignment,
    AssignmentRole,
    DeadlineKind,
    Directive,
    DirectiveStatus,
    Recurrence,
    ReviewMilestone,
    Task,
)
from directives.services import directive_save, task_assign
from sampledata.history import HistoryWriter, write_history
from sampledata.reorganisation import STEPS, apply_step
from sampledata.seeds import CENTRAL_DOCUMENTS, SEEDS, seed_text
from units.models import Role, Unit, UnitKind, UnitLevel, User
from units.selectors import current_successors
from units.text import fold

D = datetime.date
K = UnitKind


# --- Which demo units a name in a document stands for ---------------------------------


class UnitResolver:
    """Turns the names a document uses ("các cấp ủy, tổ chức đảng", "Mặt trận Tổ quốc",
    "Ủy ban nhân dân thị xã") into the demo units of the issuing committee's area."""

    def __init__(self, committee: Unit) -> None:
        self.committee = committee
        self.children = list(Unit.objects.get_children(committee).active())

    def _children(self, kind: str) -> list[Unit]:
        return [u for u in self.children if u.kind == kind]

    def _named(self, prefix: str) -> list[Unit]:
        return [u for u in self.children if fold(u.name).startswith(fold(prefix))]

    def lower_committees(self) -> list[Unit]:
        below = self._children(K.PARTY_COMMITTEE)
        if below:
            return below
        return list(
            Unit.objects.subtree(self.committee)
            .active()
            .filter(kind=K.PARTY_COMMITTEE, level=UnitLevel.COMMUNE)
        )

    def resolve(self, name: str | None) -> list[Unit]:
        key = fold(name)
        rules: list[tuple[Callable[[str], bool], Callable[[], list[Unit]]]] = [
            (lambda k: "ban dan van" in k, lambda: self._named("Ban Dân vận")),
            (lambda k: "ban tuyen giao" in k, lambda: self._named("Ban Tuyên giáo")),
            (lambda k: k.startswith("cac ban"), lambda: self._children(K.PARTY_BOARD)),
            (lambda k: "ban chi dao thuc hien qcdc" in k or "quy che dan chu" in k,
             lambda: self._named("Ban Chỉ đạo thực hiện Quy chế")),
            (lambda k: "ton giao" in k, lambda: self._named("Ban Chỉ đạo công tác tôn giáo")),
            (lambda k: "hoi dong nhan dan" in k or "hdnd" in k,
             lambda: self._children(K.PEOPLES_COUNCIL)),
            (lambda k: "uy ban nhan dan" in k or "ubnd" in k or "chinh quyen" in k,
             lambda: self._children(K.PEOPLES_COMMITTEE)),
            (lambda k: "mat tran" in k, lambda: self._children(K.FATHERLAND_FRONT)),
            (lambda k: "doan the" in k or "chinh tri - xa hoi" in k or "chinh tri-xa hoi" in k,
             lambda: self._children(K.MASS_ORGANISATION)),
            (lambda k: "luc luong vu trang" in k, lambda: self._children(K.ARMED_FORCES)),
            (lambda k: "cap uy" in k or "to chuc dang" in k or "dang uy cac" in k,
             self.lower_committees),
        ]  # fmt: skip
        for matches, units in rules:
            if key and matches(key):
                return units()
        return []


# --- Documents ------------------------------------------------------------------------


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _create_directive(doc: dict, issuer: Unit, monitoring: Unit | None) -> Directive:
    on_behalf, title, signer = doc.get("signer", ("", "", ""))
    directive = Directive(
        kind=doc["kind"],
        number=doc["number"],
        code=doc["code"],
        issuer=issuer,
        issued_on=doc["issued_on"],
        place=doc.get("place", ""),
        term=doc.get("term", ""),
        subject=doc["subject"],
        signer_on_behalf=on_behalf,
        signer_title=title,
        signer_name=signer,
        recipients=doc.get("recipients", []),
        monitoring_unit=monitoring,
        status=DirectiveStatus.IN_FORCE,
        implements=Directive.objects.filter(code=doc["implements"]).first()
        if doc.get("implements")
        else None,
    )
    return directive_save(directive=directive)


def build_central_directives() -> None:
    for doc in CENTRAL_DOCUMENTS:
        _create_directive(doc, _unit(doc["issuer"]), None)


def build_seed_directives_from_text() -> list[Directive]:
    """The four seed directives imported from their text, as a monitor would: the parser
    proposes everything; the units behind the names the document gives ("các cấp ủy, tổ
    chức đảng", "Đảng ủy các xã, phường") are chosen the way a reviewer chooses them
    (UnitResolver). A task whose text names no lead gets none here."""
    created = []
    units = Unit.objects.active()
    for seed in SEEDS:
        issuer = _unit(seed.issuer)
        proposal = proposal_from_text(seed_text(seed.seed), units=units)
        resolver = UnitResolver(issuer)
        choices = {}
        for index, task in enumerate(proposal["tasks"]):
            lead = resolver.resolve(task.get("lead"))
            coordinating = [u for n in task.get("coordinating") or [] for u in resolver.resolve(n)]
            choices[index] = {
                "leads": [u.pk for u in lead],
                "coordinating": [u.pk for u in coordinating if u not in lead],
            }
        created.append(
            directive_import(
                proposal=proposal,
                by=None,
                issuer=issuer,
                monitoring_unit=_unit(seed.monitoring),
                unit_choices=choices,
            )
        )
    _add_milestones()
    return created


# A demo choice, not what any document says: the Phú Yên resolution (seed 001) on the
# mass mobilisation work of state bodies names no lead for most of its tasks, and a task
# without a lead shows no progress. The demo gives such tasks to the state bodies
# ("chính quyền") of the issuing area.
UNNAMED_LEAD = "chính quyền"


def unnamed_leads_assign(directives: list[Directive]) -> int:
    """Give every task of ``directives`` that has no lead the issuer's UNNAMED_LEAD units;
    returns how many tasks were given one."""
    given = 0
    for directive in directives:
        lead = UnitResolver(directive.issuer).resolve(UNNAMED_LEAD)
        for task in directive.tasks.exclude(assignments__role=AssignmentRole.LEAD):
            coordinating = set(
                task.assignments.filter(role=AssignmentRole.COORDINATING).values_list(
                    "unit_id", flat=True
                )
            )
            units = [u for u in lead if u.pk not in coordinating]
            if units:
                task_assign(task=task, units=units, role=AssignmentRole.LEAD)
                given += 1
    return given


def _add_milestones() -> None:
    for code, label, years in (("56-KL/TU", "Sơ kết 5 năm", 5), ("872-CV/TU", "Sơ kết 5 năm", 5)):
        directive = Directive.objects.get(code=code)
        ReviewMilestone.objects.create(
            directive=directive,
            kind=ReviewMilestone.Kind.INTERIM,
            label=label,
            due_on=directive.issued_on.replace(year=directive.issued_on.year + years),
        )


def build_current_plan(today: datetime.date) -> Directive:
    """This year's plan of the Ban Dân vận of Hải Dương (since 2025 the Ban Tuyên giáo và
    Dân vận of Hải Phòng), dated around today so that every status (due today, due soon,
    overdue, not yet due) is on screen."""
    board = current_successors(_unit("Ban Dân vận Tỉnh ủy Hải Dương"))[0]
    committee = board.committee()
    plan = _create_directive(
        {
            "kind": "KH",
            "number": "01",
            "code": f"01-KH/{board.abbreviation}",
            "issued_on": D(today.year, 1, 10),
            "place": committee.name.split(maxsplit=2)[-1],
            "subject": f"thực hiện công tác dân vận năm {today.year}",
            "signer": ("T/M BAN DÂN VẬN", "TRƯỞNG BAN", ""),
            "implements": "56-KL/TU",
        },
        board,
        board,
    )
    resolver = UnitResolver(committee)
    front = resolver.resolve("Mặt trận Tổ quốc")
    committees = resolver.lower_committees()
    rows = [
        ("1", "Tổ chức hội nghị giao ban công tác dân vận quý", DeadlineKind.DATE,
         today + datetime.timedelta(days=5), "", front + committees),
        ("2", "Khảo sát việc thực hiện Quy chế dân chủ ở cơ sở", DeadlineKind.DATE, today,
         "", committees[:1]),
        ("3", "Hoàn thành xây dựng mô hình “Dân vận khéo” cấp tỉnh", DeadlineKind.DATE,
         today - datetime.timedelta(days=10), "", front + committees),
        ("4", "Báo cáo kết quả phong trào thi đua “Dân vận khéo” hằng tháng",
         DeadlineKind.RECURRING, D(today.year, 1, 31), Recurrence.MONTHLY, front),
        ("5", f"Tổng kết công tác dân vận năm {today.year}", DeadlineKind.PERIOD,
         D(today.year, 12, 31), "", front + committees),
    ]  # fmt: skip
    for order, (section, title, kind, due, recurrence, units) in enumerate(rows, start=1):
        task = Task.objects.create(
            directive=plan,
            section=section,
            title=title,
            order=order,
            deadline_kind=kind,
            due_on=due,
            recurrence=recurrence,
            period_label=f"năm {today.year}" if kind == DeadlineKind.PERIOD else "",
            target_indicator="Số mô hình “Dân vận khéo” được công nhận" if section == "3" else "",
            target_unit="mô hình" if section == "3" else "",
            target_value=50 if section == "3" else None,
        )
        task_assign(task=task, units=units)
    return plan


# One task a month in each province board's yearly programme: over the last two years work
# is issued, reported, finished and falls overdue every month, whenever the demo is loaded.
MONTHLY_WORK = [
    "Quán triệt, triển khai chương trình công tác dân vận năm",
    "Tổ chức đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân",
    "Sơ kết phong trào thi đua “Dân vận khéo” quý I",
    "Khảo sát tình hình Nhân dân, kết quả giải quyết kiến nghị của cử tri",
    "Kiểm tra việc thực hiện Quy chế dân chủ ở cơ sở",
    "Báo cáo sơ kết công tác dân vận 6 tháng đầu năm",
    "Giám sát việc thực hiện chính sách an sinh xã hội ở cơ sở",
    "Tập huấn nghiệp vụ công tác dân vận cho cán bộ cơ sở",
    "Sơ kết phong trào thi đua “Dân vận khéo” 9 tháng",
    "Nắm tình hình tư tưởng, dư luận xã hội trong Nhân dân",
    "Đánh giá kết quả thực hiện Quy chế công tác dân vận của hệ thống chính trị",
    "Báo cáo tổng kết công tác dân vận năm",
]


def _board(committee: Unit, on: datetime.date) -> Unit | None:
    """The committee's Ban Dân vận (Ban Tuyên giáo và Dân vận since 2025) on ``on``."""
    for board in Unit.objects.get_children(committee).active(on).filter(kind=K.PARTY_BOARD):
        if board.abbreviation in {"BDVTU", "BTGDVTU"}:
            return board
    return None


def build_yearly_programmes(year: int) -> list[Directive]:
    """The yearly programme of every province board that has a demo monitor, with one task
    due at each month's end, given to the Front, a mass organisation and two communes."""
    issued_on = D(year, 1, 10)
    monitored = set(User.objects.filter(role=Role.MONITOR).values_list("unit_id", flat=True))
    created = []
    committees = Unit.objects.active(issued_on).filter(
        kind=K.PARTY_COMMITTEE, level=UnitLevel.PROVINCE
    )
    for committee in committees:
        board = _board(committee, issued_on)
        if board is None or board.pk not in monitored:
            continue
        plan = _create_directive(
            {
                "kind": "CTr",
                "number": f"{year % 100:02d}",
                "code": f"{year % 100:02d}-CTr/{board.abbreviation}",
                "issued_on": issued_on,
                "place": committee.name.split(maxsplit=2)[-1],
                "subject": f"công tác dân vận năm {year}",
                "signer": ("T/M BAN DÂN VẬN", "TRƯỞNG BAN", ""),
            },
            board,
            board,
        )
        resolver = UnitResolver(committee)
        front = resolver.resolve("Mặt trận Tổ quốc")
        organisations = resolver.resolve("đoàn thể")
        communes = resolver.lower_committees()[:8]
        for month, title in enumerate(MONTHLY_WORK, start=1):
            task = Task.objects.create(
                directive=plan,
                section=str(month),
                title=f"{title} {year}" if month in (1, 12) else title,
                order=month,
                deadline_kind=DeadlineKind.DATE,
                due_on=D(year, month, calendar.monthrange(year, month)[1]),
            )
            units = front + organisations[month % len(organisations) :][:1]
            if communes:
                units += [communes[(2 * month) % len(communes)]]
                units += [communes[(2 * month + 1) % len(communes)]]
            task_assign(task=task, units=list(dict.fromkeys(units)))
        created.append(plan)
    return created


def _reviewers() -> dict[int, User]:
    return {
        u.unit_id: u
        for u in User.objects.filter(role=Role.MONITOR, unit__isnull=False).order_by("pk")
    }


@transaction.atomic
def build_demo_directives(today: datetime.date | None = None) -> dict:
    """Create the demo documents and their history up to ``today``, applying each step
    of the 2025 reorganisation on its day; expects the pre-2025 demo units to exist.

    The history is written a stretch at a time: up to the day before a step, then the
    step (open work and users follow their units through the restructuring services),
    then on. Documents are issued in the stretch their date falls in, by the units in
    operation then."""
    today = today or timezone.localdate()
    build_central_directives()
    seeds = build_seed_directives_from_text()
    unnamed_leads_assign(seeds)
    rng = random.Random(2013)
    stats = {"reports": 0, "returned": 0, "pending": 0, "extensions": 0}
    changes: list[str] = []
    years = list(range((today - datetime.timedelta(days=730)).year, today.year + 1))
    since: datetime.date | None = None
    for step in [*(d for d in STEPS if d <= today), None]:
        until = step - datetime.timedelta(days=1) if step else today
        for year in years:
            if (since is None or D(year, 1, 10) >= since) and D(year, 1, 10) <= until:
                build_yearly_programmes(year)
        if step is None:
            build_current_plan(today)
        writer = HistoryWriter(until, _reviewers(), final=step is None)
        assignments = (
            Assignment.objects.filter(completed_on__isnull=True, cancelled=False)
            .select_related("task__directive", "unit")
            .order_by("pk")
        )
        for assignment in assignments:
            write_history(assignment, writer, rng, since)
        for key, value in writer.stats.items():
            stats[key] += value
        if step is not None:
            changes += apply_step(step)
            since = step
    return {
        "directives": Directive.objects.count(),
        "tasks": Task.objects.count(),
        "assignments": Assignment.objects.count(),
        "changes": changes,
        **stats,
    }
