"""What the load generator builds: the counts for a scale, and the units it made."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

# The first day without district-level committees (they operated until 30/06/2025).
DISTRICTS_CLOSED_ON = datetime.date(2025, 7, 1)


@dataclass
class LoadPlan:
    scale: float
    provinces: int
    communes: int
    directives: int
    assignments: int
    reports: int
    districts: int = 3  # closed district-level committees per province

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
    name: str = ""


@dataclass
class World:
    units: list[Unit] = field(default_factory=list)
    central: list[Unit] = field(default_factory=list)
    province_committees: list[Unit] = field(default_factory=list)
    province_bodies: dict[int, list[Unit]] = field(default_factory=dict)
    commune_committees: dict[int, list[Unit]] = field(default_factory=dict)
    commune_bodies: dict[int, list[Unit]] = field(default_factory=dict)  # by commune unit id
    districts: dict[int, list[Unit]] = field(default_factory=dict)  # closed, by province
    province_monitor: dict[int, int] = field(default_factory=dict)  # province → user id
    province_staff: dict[int, int] = field(default_factory=dict)
