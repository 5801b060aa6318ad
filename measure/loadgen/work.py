"""Directives, tasks, assignments and progress reports, skewed the way real ones are."""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from directives.status import next_occurrence
from measure.loadgen.copying import Copier, Counter
from measure.loadgen.plan import DISTRICTS_CLOSED_ON, LoadPlan, Unit, World
from units.text import fold

SUBJECTS = [
    "về tăng cường và đổi mới công tác dân vận trong tình hình mới",
    "về nâng cao hiệu quả công tác dân vận của cơ quan nhà nước và chính quyền các cấp",
    "về đẩy mạnh phong trào thi đua “Dân vận khéo”",
    "về thực hiện Quy chế dân chủ ở cơ sở",
    "về tiếp dân, đối thoại trực tiếp với Nhân dân và xử lý phản ánh, kiến nghị",
    "về phát huy vai trò giám sát, phản biện xã hội của Mặt trận Tổ quốc",
    "về công tác dân vận trong đồng bào dân tộc thiểu số và tôn giáo",
    "về xây dựng nông thôn mới, đô thị văn minh",
]
TASK_TITLES = [
    "Tổ chức quán triệt, triển khai thực hiện",
    "Xây dựng kế hoạch cụ thể hóa và tổ chức thực hiện",
    "Kiểm tra, giám sát việc thực hiện",
    "Sơ kết, đánh giá kết quả thực hiện",
    "Tuyên truyền, vận động Nhân dân",
    "Đối thoại trực tiếp với Nhân dân",
    "Báo cáo kết quả thực hiện",
]
KINDS = ["NQ", "KL", "CT", "KH", "CV", "HD"]
RESULTS = "Đã triển khai theo kế hoạch; tổ chức hội nghị quán triệt, phân công cán bộ theo dõi."


@dataclass
class Totals:
    directives: int = 0
    tasks: int = 0
    assignments: int = 0
    reports: int = 0


DIRECTIVE_COLUMNS = [
    "id", "kind", "number", "code", "issued_on", "place", "term", "subject", "full_text",
    "signer_on_behalf", "signer_title", "signer_name", "recipients", "confidential", "status",
    "created_at", "updated_at", "search_text", "issuer_id", "monitoring_unit_id",
    "implements_id", "created_by_id",
]  # fmt: skip
TASK_COLUMNS = [
    "id", "section", "title", "description", "order", "deadline_kind", "due_on",
    "period_label", "recurrence", "target_indicator", "target_unit", "target_value",
    "baseline_value", "directive_id", "parent_id",
]  # fmt: skip
ASSIGNMENT_COLUMNS = [
    "id", "role", "due_on", "original_due_on", "ongoing", "recurrence", "progress",
    "completed_on", "last_reported_on", "cancelled", "created_at", "unit_id", "task_id",
]  # fmt: skip
REPORT_COLUMNS = [
    "id", "reported_on", "percent", "completed", "results", "difficulties", "proposals",
    "indicator_value", "submitted_at", "status", "reviewed_at", "review_comment",
    "assignment_id", "author_id", "reviewed_by_id",
]  # fmt: skip


def build_work(
    plan: LoadPlan,
    world: World,
    rng: random.Random,
    copiers: dict[str, Copier],
    ids: dict[str, Counter],
    today: datetime.date,
    progress: Callable[[str], None],
) -> Totals:
    """Directives, tasks, assignments and reports, streamed straight into COPY."""
    totals = Totals()
    start = today - datetime.timedelta(days=5 * 365)
    provinces = list(range(plan.provinces))
    all_communes = [c for p in provinces for c in world.commune_committees[p]]
    # Split the directive count between levels; a few central directives go to every commune.
    n_central = max(2, plan.directives // 50)
    n_province = plan.directives * 3 // 10
    n_commune = plan.directives - n_central - n_province
    issuers: list[tuple[Unit, str, list[Unit]]] = []
    for i in range(n_central):
        issuer = world.central[i % 3]
        pool = all_communes if i < max(1, n_central // 10) else world.province_committees
        issuers.append((issuer, "TW", pool))
    for i in range(n_province):
        p = provinces[i % len(provinces)]
        pool = world.commune_committees[p] + world.province_bodies[p]
        issuers.append((world.province_committees[p], "TU", pool))
    for i in range(n_commune):
        p = provinces[i % len(provinces)]
        if world.districts[p] and i % 10 == 0:
            # Older documents of the district-level committees closed in 2025, given to the
            # communes that were under them (now directly under the province).
            district = world.districts[p][(i // len(provinces)) % len(world.districts[p])]
            issuers.append((district, "HU", world.commune_committees[p]))
            continue
        commune = world.commune_committees[p][(i // len(provinces)) % plan.communes]
        issuers.append((commune, "ĐU", world.commune_bodies[commune.id]))
    rng.shuffle(issuers)
    # The closed committees' documents first, so a small load stopping early has some.
    issuers.sort(key=lambda entry: entry[0].level != "district")
    # Tasks per directive so that assignments land near the plan.
    # Expected units per task: min(pool, Exp(mean 25)) ≈ 25 · (1 − e^(−pool/25)).
    mean_pool_share = sum(25 * (1 - math.exp(-len(pool) / 25)) for _, _, pool in issuers) / len(
        issuers
    )
    tasks_per_directive = max(1, round(plan.assignments / len(issuers) / max(1, mean_pool_share)))
    reports_per_assignment = plan.reports / plan.assignments
    number_by_issuer: dict[int, int] = {}
    created = timezone.now().isoformat()
    for n, (issuer, suffix, pool) in enumerate(issuers):
        if totals.assignments >= plan.assignments * 1.05:
            break
        did = ids["directive"].take()
        kind = rng.choice(KINDS)
        number_by_issuer[issuer.id] = number_by_issuer.get(issuer.id, 0) + 1
        code = f"{number_by_issuer[issuer.id]}-{kind}/{suffix}"
        last_day = DISTRICTS_CLOSED_ON if issuer.level == "district" else today
        issued = start + datetime.timedelta(
            days=rng.randint(0, max(1, (last_day - start).days - 30))
        )
        subject = rng.choice(SUBJECTS)
        confidential = rng.random() < 0.02
        monitor = (
            world.province_bodies[issuer.province][0] if issuer.province >= 0 else world.central[3]
        )
        copiers["directive"].add([
            did, kind, number_by_issuer[issuer.id], code, issued, "", "", subject, "", "", "", "",
            "{}", confidential, "in_force", created, created, fold(f"{code} {subject}"),
            issuer.id, monitor.id, None, None,
        ])  # fmt: skip
        totals.directives += 1
        big = pool is all_communes
        n_tasks = 2 if big else max(1, int(rng.expovariate(1 / tasks_per_directive)) + 1)
        for t in range(n_tasks):
            tid = ids["task"].take()
            ongoing = rng.random() < 0.1
            recurring = not ongoing and rng.random() < 0.08
            due = None if ongoing else issued + datetime.timedelta(days=rng.randint(30, 540))
            has_target = rng.random() < 0.15
            copiers["task"].add([
                tid, f"{t + 1}", rng.choice(TASK_TITLES), "", t,
                "ongoing" if ongoing else "recurring" if recurring else "date", due, "",
                "yearly" if recurring else "", "Số mô hình" if has_target else "",
                "mô hình" if has_target else "", rng.randint(10, 100) if has_target else None,
                None, did, None,
            ])  # fmt: skip
            totals.tasks += 1
            size = len(pool) if big else min(len(pool), max(1, int(rng.expovariate(1 / 25))))
            for index, unit in enumerate(rng.sample(pool, size)):
                _assignment(
                    unit, tid, index, due, ongoing, recurring, has_target, issued, today, rng,
                    copiers, ids, world, monitor, reports_per_assignment, totals,
                )  # fmt: skip
        if n % 200 == 0:
            progress(
                f"  {totals.directives:,} văn bản, {totals.assignments:,} lượt giao, "
                f"{totals.reports:,} báo cáo"
            )
    return totals


def _assignment(
    unit, task_id, index, due, ongoing, recurring, has_target, issued, today, rng, copiers,
    ids, world, monitor, reports_per_assignment, totals,
) -> None:  # fmt: skip
    aid = ids["assignment"].take()
    cancelled = rng.random() < 0.01
    completed = None
    final_due = due
    # A recurring duty moves to its next occurrence with each accepted completing report,
    # sent around the occurrence's due date (late in a weaker unit).
    occurrences_met: list[datetime.date] = []
    if due is not None and not ongoing:
        if recurring:
            # Its own generator, so the rest of the data is what it was without them.
            when = random.Random(aid)
            while final_due < today and rng.random() < unit.quality:
                late = when.random() > unit.quality
                offset = when.randint(1, 60) if late else -when.randint(0, 10)
                occurrences_met.append(min(today, final_due + datetime.timedelta(days=offset)))
                final_due = next_occurrence(final_due, "yearly")
        elif due < today + datetime.timedelta(days=30) and rng.random() < 0.35 + unit.quality * 0.6:
            on_time = rng.random() < unit.quality
            offset = -rng.randint(0, 40) if on_time else rng.randint(1, 120)
            completed = due + datetime.timedelta(days=offset)
            if completed > today:
                completed = None
    last = completed or min(today, (final_due or today))
    n_reports = max(0, round(rng.expovariate(1 / reports_per_assignment))) if last > issued else 0
    if completed:
        n_reports = max(1, n_reports)
    span = max(1, (last - issued).days)
    days = sorted(rng.randint(1, span) for _ in range(n_reports))
    percent = 0
    last_reported = None
    for i, d in enumerate(days):
        day = issued + datetime.timedelta(days=d)
        is_last = i == len(days) - 1
        done = bool(completed) and is_last
        if done:
            day = completed
        percent = 100 if done else min(95, percent + rng.randint(5, 35))
        recent = (today - day).days < 20
        status = (
            "submitted"
            if recent and rng.random() < 0.5
            else ("returned" if rng.random() < 0.03 else "accepted")
        )
        submitted = f"{day.isoformat()}T09:00:00+07:00"
        reviewed = None if status == "submitted" else f"{day.isoformat()}T16:00:00+07:00"
        copiers["report"].add([
            ids["report"].take(), day, percent, done, RESULTS, "", "",
            rng.randint(1, 60) if has_target else None, submitted, status, reviewed,
            "Đề nghị bổ sung số liệu." if status == "returned" else "", aid,
            world.province_staff.get(unit.province, world.province_staff[0]),
            None if status == "submitted" else world.province_monitor.get(unit.province, None),
        ])  # fmt: skip
        totals.reports += 1
        if status == "accepted":
            last_reported = day
    for day in occurrences_met:
        copiers["report"].add([
            ids["report"].take(), day, 100, True, RESULTS, "", "", None,
            f"{day.isoformat()}T09:00:00+07:00", "accepted", f"{day.isoformat()}T16:00:00+07:00",
            "", aid, world.province_staff.get(unit.province, world.province_staff[0]),
            world.province_monitor.get(unit.province, None),
        ])  # fmt: skip
        totals.reports += 1
        last_reported = max(day, last_reported or day)
    copiers["assignment"].add([
        aid, "lead" if index < 3 else "coordinating", final_due, final_due if recurring else due,
        ongoing, "yearly" if recurring else "", 100 if completed else percent, completed,
        last_reported, cancelled, timezone.now().isoformat(), unit.id, task_id,
    ])  # fmt: skip
    totals.assignments += 1
