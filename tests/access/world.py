"""A small copy of the demo's shape, built with factories: the Central Committee at the
root with the Politburo, the Secretariat and the central boards under it, two provinces
under it, a district-level committee in each and two communes under that.

Every document code and unit name is distinct, so a test can look for it in a page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from directives.models import DirectiveAttachment
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    ProgressReportFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Role, UnitKind, UnitLevel

K, L = UnitKind, UnitLevel

PROVINCES = {
    "a": ("Hải Dương", "Thị ủy Kinh Môn", ("phường An Lưu", "phường Hiệp Sơn")),
    "b": ("Phú Yên", "Thị ủy Sông Cầu", ("phường Xuân Phú", "phường Xuân Thành")),
}


@dataclass
class Side:
    """One province of the world: its units, documents and people."""

    units: dict = field(default_factory=dict)
    docs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


@dataclass
class World:
    central: dict
    central_docs: dict
    admin: object
    central_monitor: object
    sides: dict

    @property
    def a(self) -> Side:
        return self.sides["a"]

    @property
    def b(self) -> Side:
        return self.sides["b"]


def _unit(name: str, kind: str, level: str, parent=None, abbreviation: str = ""):
    return UnitFactory(name=name, kind=kind, level=level, parent=parent, abbreviation=abbreviation)


def _assigned(directive, unit, **task_kwargs):
    task = TaskFactory(directive=directive, **task_kwargs)
    return AssignmentFactory(task=task, unit=unit)


def build_world(*, with_files: bool = False) -> World:
    central = _unit("Ban Chấp hành Trung ương Đảng", K.PARTY_COMMITTEE, L.CENTRAL, None, "TW")
    c = {"committee": central}
    c["politburo"] = _unit("Bộ Chính trị", K.PARTY_COMMITTEE, L.CENTRAL, central, "BCT")
    c["secretariat"] = _unit("Ban Bí thư", K.PARTY_COMMITTEE, L.CENTRAL, central, "BBT")
    c["board"] = _unit("Ban Dân vận Trung ương", K.PARTY_BOARD, L.CENTRAL, central, "BDVTW")
    c["front"] = _unit(
        "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", K.FATHERLAND_FRONT, L.CENTRAL, central
    )
    central_docs = {
        "politburo": DirectiveFactory(
            issuer=c["politburo"], kind="NQ", number="06", code="06-NQ/TW", issued_on=_day()
        ),
        "secretariat": DirectiveFactory(
            issuer=c["secretariat"], number="43", code="43-KL/TW", issued_on=_day()
        ),
        "committee": DirectiveFactory(
            issuer=central, kind="NQ", number="25", code="25-NQ/TW", issued_on=_day()
        ),
        # Guidance of a central board: for everyone.
        "board": DirectiveFactory(
            issuer=c["board"], kind="HD", number="11", code="11-HD/BDVTW", issued_on=_day()
        ),
        "secret": DirectiveFactory(
            issuer=c["politburo"],
            kind="CT",
            number="77",
            code="77-CT/TW",
            confidential=True,
            subject="về một việc mật của Trung ương",
            issued_on=_day(),
        ),
    }
    admin = UserFactory(
        username="quantri", unit=None, role=Role.ADMIN, is_superuser=True, is_staff=True
    )
    central_monitor = UserFactory(username="bdv_tw", unit=c["board"], role=Role.MONITOR)
    world = World(
        central=c,
        central_docs=central_docs,
        admin=admin,
        central_monitor=central_monitor,
        sides={},
    )
    for key, (province, district_name, communes) in PROVINCES.items():
        side = Side()
        u = side.units
        u["committee"] = _unit(f"Tỉnh ủy {province}", K.PARTY_COMMITTEE, L.PROVINCE, central, "TU")
        u["board"] = _unit(f"Ban Dân vận Tỉnh ủy {province}", K.PARTY_BOARD, L.PROVINCE,
                           u["committee"], "BDVTU")  # fmt: skip
        u["inspection"] = _unit(f"Ủy ban Kiểm tra Tỉnh ủy {province}", K.INSPECTION, L.PROVINCE,
                                u["committee"], "UBKTTU")  # fmt: skip
        u["front"] = _unit(f"Ủy ban MTTQ Việt Nam tỉnh {province}", K.FATHERLAND_FRONT,
                           L.PROVINCE, u["committee"])  # fmt: skip
        u["district"] = _unit(f"{district_name} ({province})", K.PARTY_COMMITTEE, L.DISTRICT,
                              u["committee"], "TU")  # fmt: skip
        u["commune"] = _unit(f"Đảng ủy {communes[0]}", K.PARTY_COMMITTEE, L.COMMUNE,
                             u["district"], "ĐU")  # fmt: skip
        u["peer_commune"] = _unit(f"Đảng ủy {communes[1]}", K.PARTY_COMMITTEE, L.COMMUNE,
                                  u["district"], "ĐU")  # fmt: skip
        n = 100 if key == "a" else 500
        d = side.docs
        d["province"] = DirectiveFactory(
            issuer=u["committee"], number=str(n + 1), code=f"{n + 1}-KL/TU",
            monitoring_unit=u["board"], issued_on=_day(),
        )  # fmt: skip
        d["secret"] = DirectiveFactory(
            issuer=u["committee"], kind="CT", number=str(n + 2), code=f"{n + 2}-CT/TU",
            confidential=True, monitoring_unit=u["board"], issued_on=_day(),
        )  # fmt: skip
        d["board"] = DirectiveFactory(
            issuer=u["board"], kind="HD", number=str(n + 3), code=f"{n + 3}-HD/BDVTU",
            issued_on=_day(),
        )  # fmt: skip
        d["district"] = DirectiveFactory(
            issuer=u["district"], number=str(n + 4), code=f"{n + 4}-KL/TU", issued_on=_day()
        )
        d["commune"] = DirectiveFactory(
            issuer=u["commune"], kind="NQ", number=str(n + 5), code=f"{n + 5}-NQ/ĐU",
            issued_on=_day(),
        )  # fmt: skip
        d["peer_commune"] = DirectiveFactory(
            issuer=u["peer_commune"], kind="NQ", number=str(n + 6), code=f"{n + 6}-NQ/ĐU",
            issued_on=_day(),
        )  # fmt: skip
        o = side.objects
        o["assignment"] = _assigned(d["province"], u["front"], title=f"Việc của Mặt trận {key}")
        o["commune_assignment"] = _assigned(
            d["district"], u["commune"], title=f"Việc của phường {key}"
        )
        # The Politburo's resolution reaches both provinces.
        o["central_assignment"] = _assigned(
            central_docs["politburo"], u["front"], title=f"Quán triệt Nghị quyết 06 ở {key}"
        )
        side.users = {
            "monitor": UserFactory(username=f"bdv_{key}", unit=u["board"], role=Role.MONITOR),
            "viewer": UserFactory(
                username=f"thuongtruc_{key}", unit=u["committee"], role=Role.VIEWER
            ),
            "inspector": UserFactory(
                username=f"ubkt_{key}", unit=u["inspection"], role=Role.INSPECTOR
            ),
            "leader": UserFactory(username=f"lanhdao_{key}", unit=u["front"], role=Role.LEADER),
            "staff": UserFactory(username=f"canbo_{key}", unit=u["commune"], role=Role.STAFF),
        }
        o["report"] = ProgressReportFactory(
            assignment=o["assignment"], author=side.users["leader"], results=f"Kết quả {key}"
        )
        if with_files:
            o["attachment"] = DirectiveAttachment.objects.create(
                directive=d["province"],
                file=ContentFile(b"%PDF-1.4 test", name=f"tep-{key}.pdf"),
                original_name=f"tep-{key}.pdf",
                size=13,
            )
        world.sides[key] = side
    return world


def _day() -> datetime.date:
    return datetime.date(2024, 1, 15)
