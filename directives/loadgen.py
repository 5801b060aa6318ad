"""A synthetic national dataset for measuring the system at the size it must serve.

At ``scale=1``: 34 provinces of about 100 communes with their bodies (about 21,000
units), 5,000 directives, about a million assignments and three million progress reports
over five years. Rows are written with PostgreSQL COPY in large batches, with triggers
(audit history) switched off for the load's own session only, since no person made
these changes. Distributions are skewed the way real ones are: most units on time, a
tenth of them far worse, some provinces worse than others, a few very large central
directives given to every commune.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from directives.status import next_occurrence
from units.text import fold

PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên",
    "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng",
    "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai",
    "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]  # fmt: skip
PROVINCE_BODIES = [
    ("Ban Dân vận Tỉnh ủy", "party_board", "BDVTU"),
    ("Ban Tổ chức Tỉnh ủy", "party_board", "BTCTU"),
    ("Ban Tuyên giáo Tỉnh ủy", "party_board", "BTGTU"),
    ("Văn phòng Tỉnh ủy", "party_board", "VPTU"),
    ("Ủy ban Kiểm tra Tỉnh ủy", "inspection", "UBKTTU"),
    ("Hội đồng nhân dân tỉnh", "peoples_council", "HĐND"),
    ("Ủy ban nhân dân tỉnh", "peoples_committee", "UBND"),
    ("Ủy ban MTTQ Việt Nam tỉnh", "fatherland_front", "MTTQ"),
    ("Liên đoàn Lao động tỉnh", "mass_organisation", "LĐLĐ"),
    ("Hội Nông dân tỉnh", "mass_organisation", "HND"),
    ("Hội Liên hiệp Phụ nữ tỉnh", "mass_organisation", "HLHPN"),
    ("Tỉnh đoàn", "mass_organisation", "ĐTN"),
    ("Hội Cựu chiến binh tỉnh", "mass_organisation", "HCCB"),
    ("Bộ Chỉ huy Quân sự tỉnh", "armed_forces", "BCHQS"),
    ("Công an tỉnh", "armed_forces", "CA"),
    ("Sở Nội vụ", "department", "SNV"),
    ("Sở Tài chính", "department", "STC"),
    ("Sở Giáo dục và Đào tạo", "department", "SGDĐT"),
    ("Sở Y tế", "department", "SYT"),
    ("Sở Nông nghiệp và Môi trường", "department", "SNNMT"),
]
COMMUNE_BODIES = [
    ("Ủy ban nhân dân", "peoples_committee", "UBND"),
    ("Hội đồng nhân dân", "peoples_council", "HĐND"),
    ("Ủy ban MTTQ Việt Nam", "fatherland_front", "MTTQ"),
    ("Đoàn Thanh niên", "mass_organisation", "ĐTN"),
    ("Hội Liên hiệp Phụ nữ", "mass_organisation", "HLHPN"),
]
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
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def encode_step(n: int) -> str:
    """treebeard's 4-character base-36 step for the n-th child (1-based)."""
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


@dataclass
class Counter:
    next_id: int

    def take(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value


@dataclass
class LoadPlan:
    scale: float
    provinces: int
    communes: int
    directives: int
    assignments: int
    reports: int

    @classmethod
    def for_scale(cls, scale: float) -> LoadPlan:
        provinces = 34 if scale >= 1 else max(2, min(34, math.ceil(34 * math.sqrt(scale))))
        communes = max(3, round(100 * scale * 34 / provinces)) if scale < 1 else round(100 * scale)
        return cls(
            scale=scale,
            provinces=provinces,
            communes=communes,
            directives=max(10, round(5000 * scale)),
            assignments=max(100, round(1_000_000 * scale)),
            reports=max(300, round(3_000_000 * scale)),
        )


@dataclass
class Unit:
    id: int
    path: str
    kind: str
    level: str
    province: int  # index, -1 for central
    quality: float  # chance of finishing on time


@dataclass
class World:
    units: list[Unit] = field(default_factory=list)
    central: list[Unit] = field(default_factory=list)
    province_committees: list[Unit] = field(default_factory=list)
    province_bodies: dict[int, list[Unit]] = field(default_factory=dict)
    commune_committees: dict[int, list[Unit]] = field(default_factory=dict)
    commune_bodies: dict[int, list[Unit]] = field(default_factory=dict)  # by commune unit id
    province_monitor: dict[int, int] = field(default_factory=dict)  # province → user id
    province_staff: dict[int, int] = field(default_factory=dict)


def quote(column: str) -> str:
    return f'"{column}"'


class Copier:
    """Streams rows into a table with COPY, a batch at a time."""

    def __init__(self, table: str, columns: list[str], batch: int = 100_000) -> None:
        self.table, self.columns, self.batch = table, columns, batch
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.pending = 0
        self.total = 0

    def add(self, row: Iterable) -> None:
        self.writer.writerow(["\\N" if v is None else v for v in row])
        self.pending += 1
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {self.table} ({', '.join(quote(c) for c in self.columns)}) FROM STDIN "
                "WITH (FORMAT csv, NULL '\\N')",
                self.buffer,
            )
        self.total += self.pending
        self.pending = 0
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0]


def _reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


UNIT_COLUMNS = [
    "id", "path", "depth", "numchild", "name", "short_name", "abbreviation", "aliases",
    "kind", "level", "email", "search_text",
]  # fmt: skip


def build_units(plan: LoadPlan, rng: random.Random, copier: Copier, ids: Counter) -> World:
    world = World()

    def add(path: str, name: str, kind: str, level: str, abbr: str, numchild: int,
            province: int, quality: float) -> Unit:  # fmt: skip
        unit = Unit(ids.take(), path, kind, level, province, quality)
        copier.add([unit.id, path, len(path) // 4, numchild, name, "", abbr, "{}", kind, level,
                    "", fold(f"{name} | {abbr}")])  # fmt: skip
        world.units.append(unit)
        return unit

    root_path = encode_step(1)
    central_boards = ["Bộ Chính trị", "Ban Bí thư", "Ban Dân vận Trung ương",
                      "Ban Tổ chức Trung ương", "Ủy ban Kiểm tra Trung ương"]  # fmt: skip
    root = add(root_path, "Ban Chấp hành Trung ương Đảng", "party_committee", "central", "TW",
               len(central_boards) + plan.provinces, -1, 0.9)  # fmt: skip
    world.central.append(root)
    for i, name in enumerate(central_boards, start=1):
        kind = "party_board" if name.startswith("Ban D") or "Tổ chức" in name else "party_committee"
        world.central.append(
            add(root_path + encode_step(i), name, kind, "central", "TW", 0, -1, 0.9)
        )
    for p in range(plan.provinces):
        name = PROVINCES[p % len(PROVINCES)] + ("" if p < len(PROVINCES) else f" {p}")
        # Some provinces are markedly worse at keeping deadlines than others.
        province_quality = rng.choice([0.92, 0.9, 0.85, 0.8, 0.7, 0.55])
        ppath = root_path + encode_step(len(central_boards) + 1 + p)
        committee = add(ppath, f"Tỉnh ủy {name}", "party_committee", "province", "TU",
                        len(PROVINCE_BODIES) + plan.communes, p, province_quality)  # fmt: skip
        world.province_committees.append(committee)
        bodies = []
        for j, (body, kind, abbr) in enumerate(PROVINCE_BODIES, start=1):
            bodies.append(add(ppath + encode_step(j), f"{body} {name}", kind, "province", abbr,
                              0, p, province_quality))  # fmt: skip
        world.province_bodies[p] = bodies
        world.commune_committees[p] = []
        for c in range(plan.communes):
            cpath = ppath + encode_step(len(PROVINCE_BODIES) + 1 + c)
            commune_name = f"xã {name} {c + 1:03d}"
            # One commune in ten is far behind the others.
            quality = province_quality * (0.5 if rng.random() < 0.1 else 1.0)
            cc = add(cpath, f"Đảng ủy {commune_name}", "party_committee", "commune", "ĐU",
                     len(COMMUNE_BODIES), p, quality)  # fmt: skip
            world.commune_committees[p].append(cc)
            world.commune_bodies[cc.id] = [
                add(
                    cpath + encode_step(k),
                    f"{body} {commune_name}",
                    kind,
                    "commune",
                    abbr,
                    0,
                    p,
                    quality,
                )  # fmt: skip
                for k, (body, kind, abbr) in enumerate(COMMUNE_BODIES, start=1)
            ]
    return world


USER_COLUMNS = [
    "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
    "is_staff", "is_active", "date_joined", "unit_id", "role", "job_title",
]  # fmt: skip


def build_users(world: World, copier: Copier, ids: Counter, password: str) -> dict[str, int]:
    now = timezone.now().isoformat()
    named: dict[str, int] = {}

    def add(username: str, unit: Unit | None, role: str, superuser: bool = False) -> int:
        uid = ids.take()
        copier.add([uid, password, superuser, username, "Người dùng", username, "", superuser,
                    True, now, unit.id if unit else None, role, ""])  # fmt: skip
        named[username] = uid
        return uid

    add("load.admin", None, "admin", superuser=True)
    add("load.national", world.central[0], "viewer")
    add("load.bdvtw", world.central[3], "monitor")
    for p, committee in enumerate(world.province_committees):
        bodies = world.province_bodies[p]
        world.province_monitor[p] = add(f"load.p{p}.monitor", bodies[0], "monitor")
        add(f"load.p{p}.viewer", committee, "viewer")
        add(f"load.p{p}.inspector", bodies[4], "inspector")
        world.province_staff[p] = add(f"load.p{p}.staff", bodies[7], "staff")
        add(f"load.p{p}.leader", bodies[7], "leader")
        first_commune = world.commune_committees[p][0]
        add(f"load.p{p}.commune", first_commune, "staff")
    return named


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
        commune = world.commune_committees[p][(i // len(provinces)) % plan.communes]
        issuers.append((commune, "ĐU", world.commune_bodies[commune.id]))
    rng.shuffle(issuers)
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
        issued = start + datetime.timedelta(days=rng.randint(0, 5 * 365 - 30))
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
    if due is not None and not ongoing:
        if recurring:
            while final_due < today and rng.random() < unit.quality:
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
    copiers["assignment"].add([
        aid, "lead" if index < 3 else "coordinating", final_due, final_due if recurring else due,
        ongoing, "yearly" if recurring else "", 100 if completed else percent, completed,
        last_reported, cancelled, timezone.now().isoformat(), unit.id, task_id,
    ])  # fmt: skip
    totals.assignments += 1


TABLES = {
    "unit": "units_unit",
    "user": "units_user",
    "directive": "directives_directive",
    "task": "directives_task",
    "assignment": "directives_assignment",
    "report": "directives_progressreport",
}


def generate_load(
    *,
    scale: float = 1.0,
    seed: int = 2025,
    progress: Callable[[str], None] = print,
    today: datetime.date | None = None,
) -> dict[str, float]:
    """Generate the dataset into an empty database.

    1. plan the counts for ``scale``;
    2. inside one transaction, with this session's triggers off (audit rows are for
       people's changes), COPY units, users, directives, tasks, assignments and reports;
    3. do what the triggers would have: count the change for the stored dashboard figures
       (reports.FigureVersion) and add the directives' reach (directives.DirectiveReach);
    4. move the id sequences past the new rows and refresh the planner's statistics.
    """
    today = today or timezone.localdate()
    plan = LoadPlan.for_scale(scale)
    rng = random.Random(seed)
    started = time.monotonic()
    progress(
        f"Quy mô {scale}: {plan.provinces} tỉnh × {plan.communes} xã, {plan.directives:,} văn "
        f"bản, khoảng {plan.assignments:,} lượt giao việc, {plan.reports:,} báo cáo"
    )
    ids = {key: Counter(_max_id(table) + 1) for key, table in TABLES.items()}
    first_assignment = _max_id(TABLES["assignment"]) + 1
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        units = Copier(TABLES["unit"], UNIT_COLUMNS)
        world = build_units(plan, rng, units, ids["unit"])
        units.flush()
        progress(f"  {units.total:,} đơn vị ({time.monotonic() - started:.0f} s)")
        users = Copier(TABLES["user"], USER_COLUMNS)
        build_users(world, users, ids["user"], make_password("load12345"))
        users.flush()
        copiers = {
            "directive": Copier(TABLES["directive"], DIRECTIVE_COLUMNS, batch=20_000),
            "task": Copier(TABLES["task"], TASK_COLUMNS),
            "assignment": Copier(TABLES["assignment"], ASSIGNMENT_COLUMNS),
            "report": Copier(TABLES["report"], REPORT_COLUMNS, batch=200_000),
        }
        # Parents before children, so each COPY sees its references already there.
        order = ["directive", "task", "assignment", "report"]

        class Ordered:
            """Flush in dependency order whenever any buffer fills."""

            def __init__(self, key: str) -> None:
                self.key = key
                self.inner = copiers[key]

            def add(self, row) -> None:
                inner = self.inner
                inner.writer.writerow(["\\N" if v is None else v for v in row])
                inner.pending += 1
                if inner.pending >= inner.batch:
                    for k in order:
                        copiers[k].flush()

        ordered = {key: Ordered(key) for key in copiers}
        totals = build_work(plan, world, rng, ordered, ids, today, progress)  # type: ignore[arg-type]
        for key in order:
            copiers[key].flush()
        with connection.cursor() as cursor:
            # The change-count triggers were off with the rest: count the load as a
            # change of every branch, so no stored dashboard figures pass for current.
            cursor.execute("SELECT reports_figures_bump(ARRAY['*'])")
            # The same for the units each directive is assigned to (directives.DirectiveReach).
            cursor.execute(
                "INSERT INTO directives_directivereach AS r (directive_id, unit_id, assignments) "
                "SELECT t.directive_id, a.unit_id, count(*) FROM directives_assignment a "
                "JOIN directives_task t ON t.id = a.task_id WHERE a.id >= %s GROUP BY 1, 2 "
                "ON CONFLICT (directive_id, unit_id) "
                "DO UPDATE SET assignments = r.assignments + EXCLUDED.assignments",
                [first_assignment],
            )
        # And the tasks' search keys (search.TaskSearchText).
        from search.services import task_search_texts_fill

        task_search_texts_fill()
    for table in TABLES.values():
        _reset_sequence(table)
    with connection.cursor() as cursor:
        for table in TABLES.values():
            cursor.execute(f"ANALYZE {table}")
    elapsed = time.monotonic() - started
    progress(
        f"Xong sau {elapsed:.0f} s: {units.total:,} đơn vị, {users.total:,} tài khoản, "
        f"{totals.directives:,} văn bản, {totals.tasks:,} nhiệm vụ, "
        f"{totals.assignments:,} lượt giao việc, {totals.reports:,} báo cáo."
    )
    return {
        "units": units.total,
        "users": users.total,
        "directives": totals.directives,
        "tasks": totals.tasks,
        "assignments": totals.assignments,
        "reports": totals.reports,
        "seconds": elapsed,
    }
