"""The import commands: parse_directive, evaluate_parser, import_directive."""

from __future__ import annotations

import datetime
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directives.models import Assignment, AssignmentRole, Directive, DirectiveKind, Task
from tests.factories import DirectiveFactory, UnitFactory
from units.models import Unit, UnitKind

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "sampledata" / "seed_documents"
EXPECTED = Path(__file__).resolve().parent / "expected"
SEED_NAMES = sorted(p.name[: -len(".expected.json")] for p in EXPECTED.glob("*.expected.json"))
SEED_003 = SEEDS / "003_5192d3577daf1187.txt"
SEED_002 = SEEDS / "002_88e453569ce4e8b0.txt"

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def differences(expected: object, got: object, path: str = "") -> list[str]:
    """Where ``got`` differs from ``expected`` (only the keys ``expected`` has)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        return [d for k, v in expected.items() for d in differences(v, got.get(k), f"{path}.{k}")]
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{path}: {len(expected)} expected, {len(got)} printed"]
        pairs = enumerate(zip(expected, got, strict=True))
        return [d for i, (e, g) in pairs for d in differences(e, g, f"{path}[{i}]")]
    return [] if expected == got else [f"{path}: expected {expected!r}, got {got!r}"]


# ------------------------------------------------------------------- parse_directive


@pytest.mark.parametrize("name", SEED_NAMES)
def test_parse_directive_json_matches_the_hand_written_expectation(name: str) -> None:
    printed = json.loads(run("parse_directive", str(SEEDS / f"{name}.txt"), "--json"))
    expected = json.loads((EXPECTED / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert differences(expected, printed) == []
    for key in ("kind", "code", "issuer", "place", "issued_on", "subject", "term", "references",
                "tasks", "targets", "recipients", "signer"):  # fmt: skip
        assert key in printed
    for task in printed["tasks"]:
        assert {"section", "text", "lead", "coordinating", "deadline", "recurrence", "ongoing"} <= (
            task.keys()
        )


def test_parse_directive_matches_names_to_units_in_the_database() -> None:
    committee = UnitFactory(name="Tỉnh ủy Kiên Giang", aliases=["Ban Thường vụ Tỉnh ủy Kiên Giang"])
    board = UnitFactory(
        name="Ban Dân vận Tỉnh ủy Kiên Giang",
        kind=UnitKind.PARTY_BOARD,
        aliases=["Ban Dân vận Tỉnh ủy"],
        parent=committee,
    )
    printed = json.loads(run("parse_directive", str(SEED_003), "--json"))
    last = printed["tasks"][-1]
    assert last["lead_unit"] == {
        "name": "Ban Dân vận Tỉnh ủy",
        "unit_id": board.pk,
        "matched_name": "Ban Dân vận Tỉnh ủy Kiên Giang",
        "new": False,
    }
    assert printed["tasks"][0]["lead_unit"]["new"] is True  # "các cấp ủy đảng": not one unit


def test_parse_directive_without_json_prints_a_vietnamese_summary() -> None:
    text = run("parse_directive", str(SEED_003))
    assert "Số hiệu: 872-CV/TU" in text
    assert "Ngày ban hành: 14/05/2019" in text
    assert "Nhiệm vụ (9):" in text
    assert "Chủ trì: Ban Dân vận Tỉnh ủy (đơn vị mới?)" in text
    assert "43-KL/TW ngày 07/01/2019 của Ban Bí thư" in text


def test_parse_directive_refuses_unreadable_input_in_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("parse_directive", str(tmp_path / "khong-co.txt"))
    fake = tmp_path / "van-ban.pdf"
    fake.write_bytes(b"this is not a pdf")
    with pytest.raises(CommandError, match="pdf"):
        run("parse_directive", str(fake))
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ\x90\x00")
    with pytest.raises(CommandError, match="Không hỗ trợ loại tệp"):
        run("parse_directive", str(exe))


def test_parse_directive_reads_a_docx(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in SEED_003.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "872.docx"
    document.save(path)
    printed = json.loads(run("parse_directive", str(path), "--json"))
    assert printed["code"] == "872-CV/TU"
    assert printed["issued_on"] == "2019-05-14"
    assert len(printed["tasks"]) == 9


# ------------------------------------------------------------------- evaluate_parser


def _seed_folder(tmp_path: Path) -> Path:
    for name in SEED_NAMES:
        shutil.copy(SEEDS / f"{name}.txt", tmp_path / f"{name}.txt")
        shutil.copy(EXPECTED / f"{name}.expected.json", tmp_path / f"{name}.expected.json")
    return tmp_path


def test_evaluate_parser_on_the_five_seeds_ends_with_perfect_f1(tmp_path: Path) -> None:
    output = run("evaluate_parser", str(_seed_folder(tmp_path)))
    lines = output.strip().splitlines()
    assert lines[0] == "documents: 5"
    assert any(line.startswith("tasks.lead ") for line in lines)
    assert lines[-1] == "overall F1: 1.000"


def test_evaluate_parser_reads_texts_from_another_folder() -> None:
    output = run("evaluate_parser", str(EXPECTED), "--texts", str(SEEDS))
    assert output.strip().splitlines()[-1] == "overall F1: 1.000"


def test_evaluate_parser_counts_a_wrong_expectation(tmp_path: Path) -> None:
    folder = _seed_folder(tmp_path)
    path = folder / "003_5192d3577daf1187.expected.json"
    expected = json.loads(path.read_text(encoding="utf-8"))
    expected["code"] = "873-CV/TU"
    path.write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    last = run("evaluate_parser", str(folder)).strip().splitlines()[-1]
    assert last.startswith("overall F1: 0.9")


def test_evaluate_parser_refuses_a_folder_without_pairs(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="không có cặp tệp"):
        run("evaluate_parser", str(tmp_path))
    with pytest.raises(CommandError, match="Không tìm thấy thư mục"):
        run("evaluate_parser", str(tmp_path / "khong-co"))


# ------------------------------------------------------------------- import_directive


@pytest.fixture
def kien_giang(db) -> dict[str, Unit]:
    central = UnitFactory(name="Ban Chấp hành Trung ương Đảng", aliases=["Ban Bí thư"])
    committee = UnitFactory(name="Tỉnh ủy Kiên Giang", aliases=["Ban Thường vụ Tỉnh ủy Kiên Giang"])
    board = UnitFactory(
        name="Ban Dân vận Tỉnh ủy Kiên Giang",
        kind=UnitKind.PARTY_BOARD,
        aliases=["Ban Dân vận Tỉnh ủy"],
        parent=committee,
    )
    front = UnitFactory(
        name="Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Kiên Giang",
        kind=UnitKind.FATHERLAND_FRONT,
        aliases=["Mặt trận Tổ quốc tỉnh Kiên Giang"],
        parent=committee,
    )
    return {"central": central, "committee": committee, "board": board, "front": front}


def test_import_directive_creates_872_with_tasks_assignments_and_implements_link(
    kien_giang,
) -> None:
    kl43 = DirectiveFactory(
        kind=DirectiveKind.KL,
        number="43",
        code="43-KL/TW",
        issuer=kien_giang["central"],
        issued_on=datetime.date(2019, 1, 7),
        subject="về tiếp tục thực hiện Nghị quyết số 25-NQ/TW",
    )
    output = run("import_directive", str(SEED_003))
    directive = Directive.objects.get(code="872-CV/TU")
    assert directive.issuer == kien_giang["committee"]
    assert directive.monitoring_unit == kien_giang["board"]
    assert directive.kind == DirectiveKind.CV and directive.number == "872"
    assert directive.issued_on == datetime.date(2019, 5, 14)
    assert directive.signer_on_behalf == "T/M BAN THƯỜNG VỤ"
    assert "Lưu Văn phòng Tỉnh ủy" in directive.recipients
    assert directive.implements == kl43
    assert directive.references.get(cited_code="43-KL/TW").target == kl43
    assert directive.references.count() == 9
    tasks = list(directive.tasks.order_by("order"))
    assert len(tasks) == 9
    assert [t.section for t in tasks[:3]] == ["1", "2", "3"]
    assert tasks[0].title.startswith("Tiếp tục quán triệt quan điểm, mục tiêu Chương trình")
    assert len(tasks[0].title) <= 500 and tasks[0].description.count("\n") == 2
    assert tasks[5].deadline_kind == "recurring" and tasks[5].recurrence == "yearly"
    assert tasks[5].due_on == datetime.date(2019, 12, 31)
    assert tasks[2].deadline_kind == "ongoing" and tasks[2].due_on is None
    # "các cấp ủy đảng" is no one unit; the Front of the province coordinates the first six.
    assert not tasks[0].assignments.filter(role=AssignmentRole.LEAD).exists()
    assert tasks[0].assignments.get().unit == kien_giang["front"]
    lead = Assignment.objects.get(task=tasks[-1], role=AssignmentRole.LEAD)
    assert lead.unit == kien_giang["board"] and lead.ongoing
    assert "Đã nhập" in output and "9 nhiệm vụ" in output
    assert "các cấp ủy đảng" in output  # proposed as a new unit, not created
    assert not Unit.objects.filter(name="các cấp ủy đảng").exists()


def test_import_directive_links_when_the_cited_document_arrives_later(kien_giang) -> None:
    run("import_directive", str(SEED_003))
    directive = Directive.objects.get(code="872-CV/TU")
    assert directive.implements is None
    assert directive.references.get(cited_code="43-KL/TW").target is None
    # 43-KL/TW is entered afterwards through the normal save, which links both ways.
    from directives.services import directive_save

    kl43 = directive_save(
        directive=Directive(
            kind=DirectiveKind.KL,
            number="43",
            code="43-KL/TW",
            issuer=kien_giang["central"],
            issued_on=datetime.date(2019, 1, 7),
            subject="về tiếp tục thực hiện Nghị quyết số 25-NQ/TW",
        )
    )
    directive.refresh_from_db()
    assert directive.references.get(cited_code="43-KL/TW").target == kl43
    assert directive.implements == kl43


def test_import_directive_refuses_a_news_report(kien_giang) -> None:
    with pytest.raises(CommandError) as caught:
        run("import_directive", str(SEED_002))
    assert "bài báo" in str(caught.value)
    assert not Directive.objects.exists()


def test_import_directive_refuses_the_same_number_twice(kien_giang) -> None:
    run("import_directive", str(SEED_003))
    with pytest.raises(CommandError, match="872-CV/TU"):
        run("import_directive", str(SEED_003))
    assert Directive.objects.count() == 1
    assert Task.objects.count() == 9


def test_import_directive_dry_run_saves_nothing(kien_giang) -> None:
    output = run("import_directive", str(SEED_003), "--dry-run")
    assert "Chạy thử" in output and "9 nhiệm vụ" in output
    assert not Directive.objects.exists() and not Task.objects.exists()


def test_import_directive_needs_an_issuer_it_can_recognise(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--issuer-id"):
        run("import_directive", str(SEED_003))
    other = UnitFactory(name="Tỉnh ủy Thử nghiệm")
    run("import_directive", str(SEED_003), "--issuer-id", str(other.pk))
    assert Directive.objects.get().issuer == other
    with pytest.raises(CommandError, match="không có đơn vị số"):
        run("import_directive", str(SEED_003), "--issuer-id", "999999")


def test_import_directive_creates_specific_new_units_only_when_asked(kien_giang) -> None:
    run("import_directive", str(SEEDS / "001_00638aaa464bdfe0.txt"),
        "--issuer-id", str(kien_giang["committee"].pk), "--create-units")  # fmt: skip
    created = Unit.objects.get(name="Đảng đoàn Hội đồng nhân dân tỉnh")
    assert Unit.objects.get_parent(created) == kien_giang["committee"]
    assert not Unit.objects.filter(name__startswith="Các cấp ủy").exists()
    task = Task.objects.get(section="III.2")
    assert task.assignments.get(role=AssignmentRole.LEAD).unit == created
