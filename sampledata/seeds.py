# ruff: noqa: E501 - document subjects are kept as written
"""The seed documents the demo imports, and the central documents they cite.

A seed is imported from its text (``seed_documents/NNN_*.txt``) by the product's importer;
what is written here is only what the text cannot say: which demo unit issued it and which
board follows it up. Seed 002 is a news article, not a directive, and is not imported.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

D = datetime.date

SEED_FOLDER = Path(__file__).resolve().parent / "seed_documents"


@dataclass(frozen=True)
class Seed:
    seed: str  # the file's number, "000"
    issuer: str  # demo unit names
    monitoring: str


SEEDS = [
    Seed("000", "Tỉnh ủy Hải Dương", "Ban Dân vận Tỉnh ủy Hải Dương"),
    Seed("001", "Tỉnh ủy Phú Yên", "Ban Dân vận Tỉnh ủy Phú Yên"),
    Seed("003", "Tỉnh ủy Kiên Giang", "Ban Dân vận Tỉnh ủy Kiên Giang"),
    Seed("004", "Thị ủy Đức Phổ", "Ban Dân vận Thị ủy Đức Phổ"),
]


def seed_path(seed: str) -> Path:
    return next(SEED_FOLDER.glob(f"{seed}_*.txt"))


def seed_text(seed: str) -> str:
    return seed_path(seed).read_text(encoding="utf-8")


# Central documents the seeds cite, with what is known of them.
CENTRAL_DOCUMENTS = [
    {
        "kind": "NQ",
        "number": "25",
        "code": "25-NQ/TW",
        "issuer": "Ban Chấp hành Trung ương Đảng",
        "issued_on": D(2013, 6, 3),
        "term": "XI",
        "subject": "về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới",
        "implements": None,
    },
    {
        "kind": "KL",
        "number": "43",
        "code": "43-KL/TW",
        "issuer": "Ban Bí thư",
        "issued_on": D(2019, 1, 7),
        "term": "XII",
        "subject": "về tiếp tục thực hiện Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương Đảng khóa XI về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới",
        "implements": "25-NQ/TW",
    },
    {
        "kind": "CT",
        "number": "05",
        "code": "05-CT/TW",
        "issuer": "Bộ Chính trị",
        "issued_on": D(2016, 5, 15),
        "term": "XII",
        "subject": "về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "implements": None,
    },
    {
        "kind": "QĐi",
        "number": "11",
        "code": "11-QĐi/TW",
        "issuer": "Bộ Chính trị",
        "issued_on": D(2019, 2, 18),
        "term": "XII",
        "subject": "về trách nhiệm của người đứng đầu cấp ủy trong việc tiếp dân, đối thoại trực tiếp với dân và xử lý những phản ánh, kiến nghị của dân",
        "implements": None,
    },
    {
        "kind": "KL",
        "number": "114",
        "code": "114-KL/TW",
        "issuer": "Ban Bí thư",
        "issued_on": D(2015, 7, 14),
        "term": "XI",
        "subject": "về nâng cao hiệu quả công tác dân vận của cơ quan nhà nước các cấp",
        "implements": None,
    },
    {
        "kind": "KL",
        "number": "120",
        "code": "120-KL/TW",
        "issuer": "Bộ Chính trị",
        "issued_on": D(2016, 1, 7),
        "term": "XI",
        "subject": "về tiếp tục đẩy mạnh, nâng cao chất lượng, hiệu quả việc xây dựng và thực hiện quy chế dân chủ ở cơ sở",
        "implements": None,
    },
    {
        "kind": "CT",
        "number": "18",
        "code": "18-CT/TW",
        "issuer": "Ban Bí thư",
        "issued_on": D(2022, 10, 26),
        "term": "XIII",
        "subject": "về phát huy vai trò, nâng cao chất lượng, hiệu quả công tác giám sát, phản biện xã hội của Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội",
        "implements": None,
    },
]
