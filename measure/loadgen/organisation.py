"""The national tree of units and the users the benchmark logs in as.

The tree is the map since 1 July 2025: the 34 provinces with their communes directly
under them, and under each province a few district-level committees closed on 30/06/2025
(their successor the province committee, with a closure in their history) that the older
documents were issued by.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from measure.loadgen.copying import Copier, Counter
from measure.loadgen.plan import DISTRICTS_CLOSED_ON, LoadPlan, Unit, World
from units.models import UnitChange
from units.text import fold

PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên",
    "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng",
    "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai",
    "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]  # fmt: skip
PROVINCE_BODIES = [
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "party_board", "BTGDVTU"),
    ("Ban Tổ chức Tỉnh ủy", "party_board", "BTCTU"),
    ("Ban Nội chính Tỉnh ủy", "party_board", "BNCTU"),
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
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def encode_step(n: int) -> str:
    """treebeard's 4-character base-36 step for the n-th child (1-based)."""
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


UNIT_COLUMNS = [
    "id", "path", "depth", "numchild", "name", "short_name", "abbreviation", "aliases",
    "kind", "level", "email", "search_text", "valid_to", "successor_id",
]  # fmt: skip


def build_units(plan: LoadPlan, rng: random.Random, copier: Copier, ids: Counter) -> World:
    world = World()

    def add(path: str, name: str, kind: str, level: str, abbr: str, numchild: int,
            province: int, quality: float, successor: Unit | None = None) -> Unit:  # fmt: skip
        unit = Unit(ids.take(), path, kind, level, province, quality, name)
        closed = DISTRICTS_CLOSED_ON - datetime.timedelta(days=1) if successor else None
        copier.add([unit.id, path, len(path) // 4, numchild, name, "", abbr, "{}", kind, level,
                    "", fold(f"{name} | {abbr}"), closed,
                    successor.id if successor else None])  # fmt: skip
        world.units.append(unit)
        return unit

    root_path = encode_step(1)
    central_boards = ["Bộ Chính trị", "Ban Bí thư", "Ban Tuyên giáo và Dân vận Trung ương",
                      "Ban Tổ chức Trung ương", "Ủy ban Kiểm tra Trung ương"]  # fmt: skip
    root = add(root_path, "Ban Chấp hành Trung ương Đảng", "party_committee", "central", "TW",
               len(central_boards) + plan.provinces, -1, 0.9)  # fmt: skip
    world.central.append(root)
    for i, name in enumerate(central_boards, start=1):
        kind = "party_board" if "Tuyên giáo" in name or "Tổ chức" in name else "party_committee"
        world.central.append(
            add(root_path + encode_step(i), name, kind, "central", "TW", 0, -1, 0.9)
        )
    for p in range(plan.provinces):
        name = PROVINCES[p % len(PROVINCES)] + ("" if p < len(PROVINCES) else f" {p}")
        # Some provinces are markedly worse at keeping deadlines than others.
        province_quality = rng.choice([0.92, 0.9, 0.85, 0.8, 0.7, 0.55])
        ppath = root_path + encode_step(len(central_boards) + 1 + p)
        committee = add(ppath, f"Tỉnh ủy {name}", "party_committee", "province", "TU",
                        len(PROVINCE_BODIES) + plan.communes + plan.districts, p,
                        province_quality)  # fmt: skip
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
        world.districts[p] = [
            add(
                ppath + encode_step(len(PROVINCE_BODIES) + plan.communes + 1 + d),
                f"Huyện ủy {name} {d + 1:02d}",
                "party_committee",
                "district",
                "HU",
                0,
                p,
                province_quality,
                successor=committee,
            )  # fmt: skip
            for d in range(plan.districts)
        ]
    return world


def record_closures(world: World) -> int:
    """The closure of each district-level committee, as the restructuring service records
    it (units.services.unit_close): one history row per unit."""
    rows = [
        UnitChange(
            unit_id=district.id,
            kind=UnitChange.Kind.CLOSE,
            effective_on=DISTRICTS_CLOSED_ON,
            old_name=district.name,
            new_name=committee.name,
            successor_id=committee.id,
            note="Kết thúc hoạt động của cấp huyện; xã, phường trực thuộc cấp tỉnh.",
        )
        for p, committee in enumerate(world.province_committees)
        for district in world.districts[p]
    ]
    UnitChange.objects.bulk_create(rows)
    return len(rows)


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
