"""Demo directives: the seed documents and the central documents they cite, assigned to
the demo units, with about two years of progress history ending today.

The history is generated, not recorded: each unit gets a steady profile (most units
report on time, some late, a few fall behind), so every status appears and the figures on
every page agree with each other. Everything is deterministic for a given date.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from directives.demo_data import CENTRAL_DOCUMENTS, SEED_DOCUMENTS, SEED_TASKS
from directives.models import (
    Assignment,
    AssignmentRole,
    DeadlineKind,
    DecisionStatus,
    Directive,
    DirectiveStatus,
    ExplanationRequest,
    ExtensionRequest,
    ProgressReport,
    Recurrence,
    ReportStatus,
    ReviewMilestone,
    Task,
)
from directives.services import CitedDocument, directive_save, directive_set_references, task_assign
from directives.status import next_occurrence
from units.models import Role, Unit, UnitKind, UnitLevel, User
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


def _full_text(seed: str) -> str:
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "seed_documents"
    return next(folder.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")


def first_period_end(day: datetime.date, recurrence: str) -> datetime.date:
    """The end of the first reporting period after ``day``: end of month, quarter,
    half-year or year."""
    months = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}[recurrence]
    end_month = ((day.month - 1) // months + 1) * months
    return next_occurrence(D(day.year, end_month, 1), "monthly") - datetime.timedelta(days=1)


def _task_from_row(directive: Directive, order: int, row: tuple) -> Task:
    section, title, text, _lead, _coordinating, deadline, recurrence, ongoing = row
    if recurrence:
        kind, due = DeadlineKind.RECURRING, first_period_end(directive.issued_on, recurrence)
    elif deadline:
        kind, due = DeadlineKind.DATE, deadline
    else:
        # "Thường xuyên", or no deadline stated: continuous work, not assessable by date.
        kind, due = DeadlineKind.ONGOING, None
    return Task.objects.create(
        directive=directive,
        section=section,
        title=title[:500],
        description=text,
        order=order,
        deadline_kind=kind,
        due_on=due,
        recurrence=recurrence or "",
    )


# The seed that names no lead for its tasks asks state bodies to carry them out.
DEFAULT_LEAD = {"001": "chính quyền"}


def build_central_directives() -> None:
    for doc in CENTRAL_DOCUMENTS:
        _create_directive(doc, _unit(doc["issuer"]), None)


def build_seed_directives_from_text() -> list[Directive]:
    """The four seed directives imported from their text, as a monitor would: the parser
    proposes everything; the units behind collective names ("các cấp ủy, tổ chức đảng",
    "Đảng ủy các xã, phường") are chosen the way a reviewer chooses them (UnitResolver)."""
    from directives.importing.apply import directive_import, proposal_from_text

    created = []
    units = Unit.objects.active()
    for doc in SEED_DOCUMENTS:
        issuer = _unit(doc["issuer"])
        proposal = proposal_from_text(_full_text(doc["seed"]), units=units)
        resolver = UnitResolver(issuer)
        choices = {}
        for index, task in enumerate(proposal["tasks"]):
            lead = resolver.resolve(task.get("lead") or DEFAULT_LEAD.get(doc["seed"], "cấp ủy"))
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
                monitoring_unit=_unit(doc["monitoring"]),
                unit_choices=choices,
            )
        )
    _add_milestones()
    return created


def build_seed_directives() -> list[Directive]:
    """The four seed directives as entered by hand from demo_data (the reference the
    import from text is held to), with tasks and assignments."""
    created = []
    for doc in SEED_DOCUMENTS:
        issuer = _unit(doc["issuer"])
        directive = _create_directive(doc, issuer, _unit(doc["monitoring"]))
        directive.full_text = _full_text(doc["seed"])
        directive.save(update_fields=["full_text", "search_text"])
        directive_set_references(
            directive=directive,
            cited=[CitedDocument(code=c, date=d, issuer=i) for c, d, i in doc["references"]],
        )
        resolver = UnitResolver(issuer)
        for order, row in enumerate(SEED_TASKS[doc["seed"]], start=1):
            task = _task_from_row(directive, order, row)
            lead = resolver.resolve(row[3] or DEFAULT_LEAD.get(doc["seed"], "cấp ủy"))
            coordinating = [u for name in row[4] for u in resolver.resolve(name)]
            task_assign(task=task, units=lead, role=AssignmentRole.LEAD)
            task_assign(
                task=task,
                units=[u for u in coordinating if u not in lead],
                role=AssignmentRole.COORDINATING,
            )
        created.append(directive)
    _add_milestones()
    return created


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
    """This year's plan of the Hải Dương Ban Dân vận, dated around today so that every
    status (due today, due soon, overdue, not yet due) is on screen."""
    board = _unit("Ban Dân vận Tỉnh ủy Hải Dương")
    committee = _unit("Tỉnh ủy Hải Dương")
    plan = _create_directive(
        {
            "kind": "KH",
            "number": "01",
            "code": "01-KH/BDVTU",
            "issued_on": D(today.year, 1, 10),
            "place": "Hải Dương",
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


# --- History --------------------------------------------------------------------------

RETURN_COMMENTS = [
    "Đề nghị bổ sung số liệu cụ thể và tài liệu minh chứng.",
    "Báo cáo chưa nêu rõ khó khăn, vướng mắc; đề nghị bổ sung.",
    "Đề nghị đính kèm kế hoạch triển khai của đơn vị.",
]
RESULTS = [
    "Đã tổ chức quán triệt đến 100% cán bộ, đảng viên; ban hành kế hoạch thực hiện.",
    "Đã tổ chức hội nghị triển khai, phân công cán bộ theo dõi; kết quả bước đầu tích cực.",
    "Hoàn thành các nội dung theo kế hoạch; đã gửi báo cáo kết quả về Ban Dân vận.",
    "Tiếp tục triển khai; tổ chức 03 buổi đối thoại với Nhân dân, giải quyết 12 kiến nghị.",
]


class HistoryWriter:
    """Writes reports the way the services would have, with past dates."""

    def __init__(self, today: datetime.date, reviewers: dict[int, User]) -> None:
        self.today = today
        self.reviewers = reviewers
        self.authors: dict[int, User] = {}
        self.stats = {"reports": 0, "returned": 0, "pending": 0, "extensions": 0}

    def author(self, unit: Unit) -> User:
        if unit.pk not in self.authors:
            user = User.objects.filter(unit=unit, role=Role.STAFF).first()
            if user is None:
                user = User(
                    username=f"cb.{unit.pk}",
                    unit=unit,
                    role=Role.STAFF,
                    first_name="Cán bộ",
                    last_name=unit.abbreviation or "đơn vị",
                )
                user.set_unusable_password()
                user.save()
            self.authors[unit.pk] = user
        return self.authors[unit.pk]

    def at(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def report(
        self,
        a: Assignment,
        day: datetime.date,
        percent: int,
        *,
        completed: bool = False,
        status: str = ReportStatus.ACCEPTED,
        rng: random.Random,
        resubmission_of: ProgressReport | None = None,
    ) -> ProgressReport:
        reviewer = self.reviewers.get(a.task.directive.monitoring_unit_id or 0)
        reviewed = status != ReportStatus.SUBMITTED and reviewer is not None
        review_day = min(day + datetime.timedelta(days=rng.randint(1, 4)), self.today)
        report = ProgressReport.objects.create(
            assignment=a,
            reported_on=day,
            percent=100 if completed else percent,
            completed=completed,
            results=rng.choice(RESULTS),
            difficulties="Kinh phí và nhân lực còn hạn chế." if rng.random() < 0.3 else "",
            proposals="Đề nghị cấp trên hướng dẫn thêm." if rng.random() < 0.2 else "",
            author=self.author(a.unit),
            submitted_at=self.at(day),
            resubmission_of=resubmission_of,
            status=status if reviewed else ReportStatus.SUBMITTED,
            reviewed_by=reviewer if reviewed else None,
            reviewed_at=self.at(review_day, 15) if reviewed else None,
            review_comment=rng.choice(RETURN_COMMENTS) if status == ReportStatus.RETURNED else "",
        )
        self.stats["reports"] += 1
        if report.status == ReportStatus.ACCEPTED:
            a.progress = report.percent
            a.last_reported_on = day
            if completed and a.recurrence and a.due_on:
                a.due_on = next_occurrence(a.due_on, a.recurrence)
                a.original_due_on = a.due_on
                a.progress = 0
            elif completed:
                a.completed_on = day
        elif report.status == ReportStatus.RETURNED:
            self.stats["returned"] += 1
        else:
            self.stats["pending"] += 1
        return report

    def complete(self, a: Assignment, day: datetime.date, rng: random.Random) -> None:
        """A completing report; now and then returned first and answered a few days later."""
        if rng.random() < 0.15 and day + datetime.timedelta(days=7) <= self.today:
            first = self.report(a, day, 100, completed=True, status=ReportStatus.RETURNED, rng=rng)
            day = day + datetime.timedelta(days=rng.randint(3, 7))
            self.report(a, day, 100, completed=True, rng=rng, resubmission_of=first)
        else:
            self.report(a, day, 100, completed=True, rng=rng)

    def extend(self, a: Assignment, rng: random.Random) -> None:
        reviewer = self.reviewers.get(a.task.directive.monitoring_unit_id or 0)
        if reviewer is None or a.due_on is None:
            return
        asked = a.due_on - datetime.timedelta(days=rng.randint(5, 20))
        ExtensionRequest.objects.create(
            assignment=a,
            requested_by=self.author(a.unit),
            current_due_on=a.due_on,
            proposed_due_on=a.due_on + datetime.timedelta(days=45),
            reason="Đơn vị đang chờ ý kiến chỉ đạo của cấp trên về nội dung liên quan.",
            status=DecisionStatus.APPROVED,
            decided_by=reviewer,
            decided_at=self.at(asked + datetime.timedelta(days=2)),
            decision_comment="Đồng ý gia hạn.",
        )
        a.due_on = a.due_on + datetime.timedelta(days=45)
        self.stats["extensions"] += 1


def _profile(unit: Unit) -> str:
    """Most units keep to their deadlines, some are late, a few fall behind."""
    bucket = (unit.pk * 7919) % 20
    return "good" if bucket < 13 else "slow" if bucket < 18 else "behind"


def write_history(assignment: Assignment, writer: HistoryWriter, rng: random.Random) -> None:
    today = writer.today
    a = assignment
    start = a.task.directive.issued_on + datetime.timedelta(days=20)
    if a.recurrence or a.ongoing or a.due_on is None:
        # Continuous work: two years of reports are enough to show its rhythm.
        start = max(start, today - datetime.timedelta(days=730))
    if start >= today:
        return
    profile = _profile(assignment.unit)
    if a.recurrence and a.due_on:
        # Each occurrence: done before it (good), after it (slow), or left undone (behind).
        while a.due_on and a.due_on < today - datetime.timedelta(days=1):
            if a.due_on < start:
                a.due_on = a.original_due_on = next_occurrence(a.due_on, a.recurrence)
                continue
            if profile == "behind" and rng.random() < 0.5:
                break
            offset = -rng.randint(0, 10) if profile == "good" else rng.randint(3, 20)
            day = min(a.due_on + datetime.timedelta(days=offset), today)
            writer.report(a, day, 100, completed=True, rng=rng)
    elif a.ongoing or a.due_on is None:
        day, percent = start, 0
        while day < today:
            percent = min(90, percent + rng.choice((15, 20, 25)))
            recent = (today - day).days < 45
            status = ReportStatus.SUBMITTED if recent and rng.random() < 0.4 else None
            writer.report(a, day, percent, rng=rng, status=status or ReportStatus.ACCEPTED)
            day += datetime.timedelta(days=rng.randint(150, 200))
    elif a.due_on < today:
        mid = start + (a.due_on - start) / 2 if a.due_on > start else start
        if mid < today:
            writer.report(a, mid, rng.choice((30, 40, 50)), rng=rng)
        if profile == "good":
            writer.complete(
                a, max(start, a.due_on - datetime.timedelta(days=rng.randint(1, 25))), rng
            )
        elif profile == "slow":
            if rng.random() < 0.5:
                writer.extend(a, rng)
            late = a.original_due_on + datetime.timedelta(days=rng.randint(10, 70))
            if late < today:
                writer.complete(a, late, rng)
        elif rng.random() < 0.5:
            ExplanationRequest.objects.create(
                assignment=a,
                requested_by=writer.reviewers.get(a.task.directive.monitoring_unit_id)
                or writer.author(a.unit),
                message="Đề nghị đơn vị giải trình lý do chậm tiến độ và thời gian hoàn thành.",
            )
    else:
        if profile != "behind" and start < today:
            status = ReportStatus.SUBMITTED if rng.random() < 0.3 else ReportStatus.ACCEPTED
            day = max(start, today - datetime.timedelta(days=rng.randint(1, 20)))
            writer.report(a, day, rng.choice((20, 40, 60)), status=status, rng=rng)
    a.save()


@transaction.atomic
def build_demo_directives(today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo documents and their history; expects the demo units to exist."""
    today = today or timezone.localdate()
    build_central_directives()
    build_seed_directives_from_text()
    build_current_plan(today)
    reviewers = {
        u.unit_id: u
        for u in User.objects.filter(role=Role.MONITOR, unit__isnull=False).order_by("pk")
    }
    writer = HistoryWriter(today, reviewers)
    rng = random.Random(2013)
    assignments = Assignment.objects.select_related("task__directive", "unit").order_by("pk")
    for assignment in assignments:
        write_history(assignment, writer, rng)
    return {
        "directives": Directive.objects.count(),
        "tasks": Task.objects.count(),
        "assignments": Assignment.objects.count(),
        **writer.stats,
    }
