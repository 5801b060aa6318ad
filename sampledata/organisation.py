"""The demo organisation as it stood before 2025: central bodies, the provinces named in
the seed documents and the provinces they were merged into in 2025.

The structure follows the political system as the seed documents show it: each party
committee has its boards, inspection commission, People's Council and Committee, the
Fatherland Front, the five mass organisations and the armed forces; district-level
committees and communes under them. ``sampledata.reorganisation`` then applies the 2025
changes to this tree through the restructuring services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from sampledata.accounts import DEMO_PASSWORD
from units.models import Role, Unit, UnitKind, UnitLevel, User
from units.text import fold

K = UnitKind
L = UnitLevel


@dataclass
class Spec:
    name: str
    kind: str
    level: str
    abbreviation: str = ""
    short_name: str = ""
    aliases: list[str] = field(default_factory=list)
    children: list[Spec] = field(default_factory=list)


MASS_ORGANISATIONS = [
    ("Liên đoàn Lao động", "LĐLĐ", ["Công đoàn"]),
    ("Hội Nông dân", "HND", []),
    ("Hội Liên hiệp Phụ nữ", "HLHPN", ["Hội Phụ nữ"]),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "ĐTN", ["Đoàn Thanh niên"]),
    ("Hội Cựu chiến binh", "HCCB", []),
]

DEPARTMENTS = [
    ("Sở Nội vụ", "SNV"),
    ("Sở Tài chính", "STC"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("Sở Y tế", "SYT"),
    ("Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("Sở Tư pháp", "STP"),
    ("Thanh tra tỉnh", "TTr"),
]

# Centrally-run cities: "Thành ủy Hải Phòng", "thành phố Hải Phòng".
CITIES = {"Hải Phòng"}

# Province → (has a border guard command, district-level committees with their communes).
# Hải Phòng, Đắk Lắk, An Giang and Kon Tum are here for the 2025 mergers only: the
# receiving ones with their provincial bodies, Kon Tum with one district.
PROVINCES: dict[str, tuple[bool, list[tuple[str, str, list[str]]]]] = {
    "Hải Dương": (
        False,
        [
            ("Thành ủy", "Hải Dương", ["phường Trần Hưng Đạo", "phường Nguyễn Trãi",
                                       "phường Tân Bình", "phường Thanh Bình"]),
            ("Thị ủy", "Kinh Môn", ["phường An Lưu", "phường Hiệp Sơn", "phường Minh Tân",
                                    "phường Phú Thứ"]),
        ],
    ),
    "Phú Yên": (
        True,
        [
            ("Huyện ủy", "Tuy An", ["xã An Dân", "xã An Ninh Đông", "xã An Thạch",
                                    "xã An Hiệp"]),
            ("Thị ủy", "Sông Cầu", ["phường Xuân Phú", "phường Xuân Thành", "phường Xuân Yên",
                                    "xã Xuân Lâm"]),
        ],
    ),
    "Hà Tĩnh": (
        True,
        [
            ("Thành ủy", "Hà Tĩnh", ["phường Bắc Hà", "phường Nam Hà", "phường Trần Phú",
                                     "phường Tân Giang"]),
            ("Huyện ủy", "Cẩm Xuyên", ["xã Cẩm Bình", "xã Cẩm Thạch", "xã Cẩm Duệ",
                                       "xã Cẩm Hưng"]),
        ],
    ),
    "Kiên Giang": (
        True,
        [
            ("Thành ủy", "Rạch Giá", ["phường Vĩnh Thanh Vân", "phường Vĩnh Lạc",
                                      "phường An Hòa", "phường Rạch Sỏi"]),
            ("Thành ủy", "Phú Quốc", ["phường Dương Đông", "phường An Thới", "xã Cửa Dương",
                                      "xã Hàm Ninh"]),
        ],
    ),
    "Quảng Ngãi": (
        True,
        [
            ("Thị ủy", "Đức Phổ", [
                "phường Nguyễn Nghiêm", "phường Phổ Hòa", "phường Phổ Minh", "phường Phổ Ninh",
                "phường Phổ Quang", "phường Phổ Thạnh", "phường Phổ Văn", "phường Phổ Vinh",
                "xã Phổ An", "xã Phổ Châu", "xã Phổ Cường", "xã Phổ Khánh", "xã Phổ Nhơn",
                "xã Phổ Phong", "xã Phổ Thuận",
            ]),
            ("Thành ủy", "Quảng Ngãi", ["phường Lê Hồng Phong", "phường Trần Phú",
                                        "phường Nghĩa Chánh", "phường Chánh Lộ"]),
        ],
    ),
    "Kon Tum": (
        True,
        [
            ("Thành ủy", "Kon Tum", ["phường Quyết Thắng", "phường Thắng Lợi",
                                     "phường Thống Nhất", "phường Duy Tân"]),
        ],
    ),
    "Hải Phòng": (True, []),
    "Đắk Lắk": (True, []),
    "An Giang": (True, []),
}  # fmt: skip

DISTRICT_WORD = {"Thành ủy": "thành phố", "Thị ủy": "thị xã", "Huyện ủy": "huyện"}
DISTRICT_ABBR = {"Thành ủy": "TU", "Thị ủy": "TU", "Huyện ủy": "HU"}


def commune_spec(commune: str) -> Spec:
    """A commune party committee with the bodies under it."""
    word, _, name = commune.partition(" ")
    return Spec(
        f"Đảng ủy {commune}",
        K.PARTY_COMMITTEE,
        L.COMMUNE,
        "ĐU",
        aliases=[f"Đảng bộ {commune}"],
        children=[
            Spec(f"Ủy ban nhân dân {commune}", K.PEOPLES_COMMITTEE, L.COMMUNE, "UBND",
                 aliases=[f"UBND {commune}"]),
            Spec(f"Hội đồng nhân dân {commune}", K.PEOPLES_COUNCIL, L.COMMUNE, "HĐND",
                 aliases=[f"HĐND {commune}"]),
            Spec(f"Ủy ban Mặt trận Tổ quốc Việt Nam {commune}", K.FATHERLAND_FRONT, L.COMMUNE,
                 "MTTQ", aliases=[f"Mặt trận Tổ quốc {commune}", f"MTTQ {commune}"]),
            Spec(f"Đoàn Thanh niên {commune}", K.MASS_ORGANISATION, L.COMMUNE, "ĐTN"),
            Spec(f"Hội Liên hiệp Phụ nữ {commune}", K.MASS_ORGANISATION, L.COMMUNE, "HLHPN"),
            Spec(f"Hội Nông dân {commune}", K.MASS_ORGANISATION, L.COMMUNE, "HND"),
            Spec(f"Hội Cựu chiến binh {commune}", K.MASS_ORGANISATION, L.COMMUNE, "HCCB"),
        ],
    )  # fmt: skip


def departments(area: str, level: str) -> list[Spec]:
    """Provincial departments ("Sở Nội vụ Hải Dương"); a district's offices ("Phòng ...")."""
    if level == L.PROVINCE:
        province = area.removeprefix("tỉnh ")
        return [
            Spec(f"Thanh tra {area}" if abbr == "TTr" else f"{name} {province}",
                 K.DEPARTMENT, level, abbr)
            for name, abbr in DEPARTMENTS
        ]  # fmt: skip
    return [
        Spec(f"Phòng {name.removeprefix('Sở ')} {area}", K.DEPARTMENT, level)
        for name, _abbr in DEPARTMENTS[:3]
    ]


def local_bodies(committee: str, area: str, level: str, abbr: str) -> list[Spec]:
    """Boards, councils, the Front and the mass organisations of one committee.

    ``committee`` is "Tỉnh ủy Hải Dương", "Thị ủy Đức Phổ"...; ``area`` the place with its
    word ("tỉnh Hải Dương", "thị xã Đức Phổ"); ``abbr`` the issuer abbreviation (TU, HU).
    """
    # Documents say "Ban Dân vận Tỉnh ủy" without the province: keep that as an alias.
    word = " ".join(committee.split()[:2])
    bodies = [
        Spec(f"Văn phòng {committee}", K.PARTY_BOARD, level, f"VP{abbr}",
             aliases=[f"Văn phòng {word}"]),
        Spec(f"Ban Tổ chức {committee}", K.PARTY_BOARD, level, f"BTC{abbr}",
             aliases=[f"Ban Tổ chức {word}"]),
        Spec(f"Ban Tuyên giáo {committee}", K.PARTY_BOARD, level, f"BTG{abbr}",
             aliases=[f"Ban Tuyên giáo {word}"]),
        Spec(f"Ban Dân vận {committee}", K.PARTY_BOARD, level, f"BDV{abbr}",
             aliases=[f"Ban Dân vận {word}", f"BDV {word}"]),
        Spec(f"Ủy ban Kiểm tra {committee}", K.INSPECTION, level, f"UBKT{abbr}",
             aliases=[f"Ủy ban Kiểm tra {word}", f"UBKT {word}"]),
        Spec(f"Hội đồng nhân dân {area}", K.PEOPLES_COUNCIL, level, "HĐND",
             aliases=[f"HĐND {area}", f"Thường trực HĐND {area}",
                      f"Thường trực Hội đồng nhân dân {area}"]),
        Spec(f"Ủy ban nhân dân {area}", K.PEOPLES_COMMITTEE, level, "UBND",
             aliases=[f"UBND {area}"],
             children=departments(area, level)),
        Spec(f"Ủy ban Mặt trận Tổ quốc Việt Nam {area}", K.FATHERLAND_FRONT, level, "MTTQ",
             aliases=[f"Mặt trận Tổ quốc {area}", f"MTTQ {area}", f"Ủy ban MTTQ Việt Nam {area}"]),
        *[
            Spec(f"{org} {area}", K.MASS_ORGANISATION, level, a,
                 aliases=[f"{alias} {area}" for alias in more])
            for org, a, more in MASS_ORGANISATIONS
        ],
        Spec(f"Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở {area}", K.OTHER, level, "BCĐ QCDC",
             aliases=[f"BCĐ thực hiện QCDC ở cơ sở {area}"]),
    ]  # fmt: skip
    if level == L.PROVINCE:
        bodies += [
            Spec(
                f"Ban Nội chính {committee}",
                K.PARTY_BOARD,
                level,
                f"BNC{abbr}",
                aliases=[f"Ban Nội chính {word}"],
            ),
            Spec(f"Bộ Chỉ huy Quân sự {area}", K.ARMED_FORCES, level, "BCHQS"),
            Spec(f"Công an {area}", K.ARMED_FORCES, level, "CA"),
        ]
    else:
        bodies += [
            Spec(f"Ban Chỉ đạo công tác tôn giáo {area}", K.OTHER, level, "BCĐ"),
            Spec(f"Ban Chỉ huy Quân sự {area}", K.ARMED_FORCES, level, "BCHQS"),
            Spec(f"Công an {area}", K.ARMED_FORCES, level, "CA"),
        ]
    return bodies


def province_committee(province: str) -> str:
    return f"{'Thành ủy' if province in CITIES else 'Tỉnh ủy'} {province}"


def province_spec(province: str, border_guard: bool, districts) -> Spec:
    area = f"{'thành phố' if province in CITIES else 'tỉnh'} {province}"
    word = province_committee(province)
    children = local_bodies(word, area, L.PROVINCE, "TU")
    if border_guard:
        children.append(
            Spec(f"Bộ Chỉ huy Bộ đội Biên phòng {area}", K.ARMED_FORCES, L.PROVINCE, "BĐBP")
        )
    for committee_word, name, communes in districts:
        district_area = f"{DISTRICT_WORD[committee_word]} {name}"
        committee = f"{committee_word} {name}"
        children.append(
            Spec(
                committee,
                K.PARTY_COMMITTEE,
                L.DISTRICT,
                DISTRICT_ABBR[committee_word],
                aliases=[f"Ban Thường vụ {committee}", f"Đảng bộ {district_area}"],
                children=[
                    *local_bodies(
                        committee, district_area, L.DISTRICT, DISTRICT_ABBR[committee_word]
                    ),
                    *[commune_spec(c) for c in communes],
                ],
            )
        )
    return Spec(
        word,
        K.PARTY_COMMITTEE,
        L.PROVINCE,
        "TU",
        aliases=[f"Ban Chấp hành Đảng bộ {area}", f"Ban Thường vụ {word}", f"Đảng bộ {area}"],
        children=children,
    )  # fmt: skip


def central_spec() -> Spec:
    return Spec(
        "Ban Chấp hành Trung ương Đảng",
        K.PARTY_COMMITTEE,
        L.CENTRAL,
        "TW",
        short_name="Trung ương",
        aliases=["Ban Chấp hành Trung ương", "BCH Trung ương", "BCH Trung ương Đảng",
                 "Trung ương Đảng"],
        children=[
            Spec("Bộ Chính trị", K.PARTY_COMMITTEE, L.CENTRAL, "BCT"),
            Spec("Ban Bí thư", K.PARTY_COMMITTEE, L.CENTRAL, "BBT"),
            Spec("Ban Tổ chức Trung ương", K.PARTY_BOARD, L.CENTRAL, "BTCTW"),
            Spec("Ban Tuyên giáo Trung ương", K.PARTY_BOARD, L.CENTRAL, "BTGTW"),
            Spec("Ban Dân vận Trung ương", K.PARTY_BOARD, L.CENTRAL, "BDVTW"),
            Spec("Ủy ban Kiểm tra Trung ương", K.INSPECTION, L.CENTRAL, "UBKTTW"),
            Spec("Văn phòng Trung ương Đảng", K.PARTY_BOARD, L.CENTRAL, "VPTW"),
            Spec("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", K.FATHERLAND_FRONT, L.CENTRAL,
                 "MTTQ", aliases=["Ủy ban Trung ương MTTQ Việt Nam"]),
        ],
    )  # fmt: skip


def _create(spec: Spec, parent: Unit | None, created: dict[str, Unit]) -> None:
    fields = dict(
        name=spec.name,
        kind=spec.kind,
        level=spec.level,
        abbreviation=spec.abbreviation,
        short_name=spec.short_name,
        aliases=spec.aliases,
        email=f"{fold(spec.name).replace(' ', '.').replace(',', '')}@donvi.example",
    )
    unit = Unit.objects.add_child(parent, fields) if parent else Unit.objects.add_root(fields)
    created[spec.name] = unit
    for child in spec.children:
        _create(child, unit, created)


# (username, full name, unit name, role)
DEMO_USERS = [
    ("bdv.trunguong", "Nguyễn Văn Trung", "Ban Dân vận Trung ương", Role.MONITOR),
    ("bdv.haiduong", "Trần Thị Hương", "Ban Dân vận Tỉnh ủy Hải Dương", Role.MONITOR),
    ("thuongtruc.haiduong", "Lê Văn Thành", "Tỉnh ủy Hải Dương", Role.VIEWER),
    ("ubkt.haiduong", "Phạm Minh Khoa", "Ủy ban Kiểm tra Tỉnh ủy Hải Dương", Role.INSPECTOR),
    ("lanhdao.mttq.haiduong", "Vũ Thị Lan",
     "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hải Dương", Role.LEADER),
    ("canbo.mttq.haiduong", "Đỗ Văn Bình",
     "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hải Dương", Role.STAFF),
    ("bdv.phuyen", "Huỳnh Thị Yến", "Ban Dân vận Tỉnh ủy Phú Yên", Role.MONITOR),
    ("bdv.hatinh", "Trương Văn Hà", "Ban Dân vận Tỉnh ủy Hà Tĩnh", Role.MONITOR),
    ("bdv.kiengiang", "Lâm Thị Kiều", "Ban Dân vận Tỉnh ủy Kiên Giang", Role.MONITOR),
    ("bdv.ducpho", "Nguyễn Thị Phổ", "Ban Dân vận Thị ủy Đức Phổ", Role.MONITOR),
    ("thuongtruc.ducpho", "Phan Văn Đức", "Thị ủy Đức Phổ", Role.VIEWER),
    ("lanhdao.ubnd.ducpho", "Đặng Văn Minh", "Ủy ban nhân dân thị xã Đức Phổ", Role.LEADER),
    ("canbo.ubnd.ducpho", "Bùi Thị Hoa", "Ủy ban nhân dân thị xã Đức Phổ", Role.STAFF),
    ("lanhdao.phoninh", "Hồ Văn Ninh", "Đảng ủy phường Phổ Ninh", Role.LEADER),
    ("canbo.phoninh", "Võ Thị Mai", "Đảng ủy phường Phổ Ninh", Role.STAFF),
]  # fmt: skip


def _find(name: str, province: str | None = None) -> Unit:
    qs = Unit.objects.filter(name=name)
    if province:
        qs = qs.filter(path__startswith=Unit.objects.get(name=province_committee(province)).path)
    return qs.get()


@transaction.atomic
def build_demo_organisation() -> dict[str, int]:
    """Create the pre-2025 demo tree and its users; returns counts. Expects an empty unit
    table."""
    created: dict[str, Unit] = {}
    central = central_spec()
    _create(central, None, created)
    root = Unit.objects.get(name=central.name)
    for province, (border_guard, districts) in PROVINCES.items():
        _create(
            province_spec(province, border_guard, districts), Unit.objects.get(pk=root.pk), created
        )

    users = 0
    admin = User(
        username="admin", first_name="Quản trị", last_name="", role=Role.ADMIN,
        is_staff=True, is_superuser=True, email="admin@donvi.example",
    )  # fmt: skip
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    users += 1
    for entry in DEMO_USERS:
        username, full_name, unit_name, role, *province = entry
        unit = _find(unit_name, province[0] if province else None)
        last, _, first = full_name.rpartition(" ")
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@donvi.example",
            unit=unit,
            role=role,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        users += 1
    return {"units": Unit.objects.count(), "users": users}
