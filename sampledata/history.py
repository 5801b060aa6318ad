"""The history of the demo: about two years of progress reports ending today.

The history is generated, not recorded: each unit gets a steady profile (most units
report on time, some late, a few fall behind), so every status appears and the figures on
every page agree with each other. Everything is deterministic for a given date.

It is written in stretches (``since`` → ``today``): up to each step of the 2025
reorganisation, then the step is applied, then the next stretch continues the open work
where the units that hold it now are.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from directives.models import (
    Assignment,
    DecisionStatus,
    ExplanationRequest,
    ExtensionRequest,
    ProgressReport,
    ReportStatus,
)
from directives.status import next_occurrence
from units.models import Role, Unit, User

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

    def __init__(
        self, today: datetime.date, reviewers: dict[int, User], *, final: bool = True
    ) -> None:
        self.today = today
        self.reviewers = reviewers
        # A stretch before today leaves nothing waiting for review: it was reviewed since.
        self.final = final
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
        if not self.final and status == ReportStatus.SUBMITTED:
            status = ReportStatus.ACCEPTED
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
        if reviewer is None or a.due_on is None or a.extension_requests.exists():
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


def write_history(
    assignment: Assignment,
    writer: HistoryWriter,
    rng: random.Random,
    since: datetime.date | None = None,
) -> None:
    """What ``assignment``'s unit reported from ``since`` (from the start) to the writer's
    day, continuing from where an earlier stretch left the assignment."""
    today = writer.today
    a = assignment
    start = a.task.directive.issued_on + datetime.timedelta(days=20)
    if a.recurrence or a.ongoing or a.due_on is None:
        # Continuous work: two years of reports are enough to show its rhythm.
        start = max(start, today - datetime.timedelta(days=730))
    if since is not None:
        start = max(start, since)
    if start >= today or a.completed_on is not None or a.cancelled:
        return
    profile = _profile(assignment.unit)
    if a.recurrence and a.due_on:
        # Each occurrence: done before it (good), after it (slow), or left undone (behind).
        while a.due_on and a.due_on < today - datetime.timedelta(days=1):
            if a.due_on < start and since is None:
                a.due_on = a.original_due_on = next_occurrence(a.due_on, a.recurrence)
                continue
            if profile == "behind" and rng.random() < 0.5:
                break
            offset = -rng.randint(0, 10) if profile == "good" else rng.randint(3, 20)
            day = min(max(a.due_on + datetime.timedelta(days=offset), start), today)
            writer.report(a, day, 100, completed=True, rng=rng)
    elif a.ongoing or a.due_on is None:
        day, percent = start, a.progress or 0
        if since is not None:
            day += datetime.timedelta(days=rng.randint(0, 90))
        while day < today:
            percent = min(90, percent + rng.choice((15, 20, 25)))
            recent = (today - day).days < 45
            status = ReportStatus.SUBMITTED if recent and rng.random() < 0.4 else None
            writer.report(a, day, percent, rng=rng, status=status or ReportStatus.ACCEPTED)
            day += datetime.timedelta(days=rng.randint(150, 200))
    elif a.due_on < today:
        mid = start + (a.due_on - start) / 2 if a.due_on > start else start
        if mid < today and (since is None or a.due_on > start):
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
                writer.complete(a, max(late, start), rng)
        elif rng.random() < 0.5 and not a.explanation_requests.exists():
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
