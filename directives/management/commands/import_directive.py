"""`python manage.py import_directive FILE`: parse a directive and record it, after the same
checks as the import page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directives.importing.apply import (
    directive_import,
    issuer_candidate,
    monitoring_candidate,
    proposal_from_text,
    proposal_problems,
    unit_choices_from_matches,
    unmatched_names,
)
from directives.importing.cleaning import fold
from directives.management.commands.parse_directive import read_document
from units.models import Unit, UnitKind, User

# Names that stand for many bodies ("các cấp ủy", "chính quyền") never become one unit.
_COLLECTIVE = ("cac ", "nhung ", "chinh quyen", "cap uy", "to chuc dang")
# A new unit's kind guessed from its name, first match wins (folded).
_KIND_WORDS = [
    ("uy ban nhan dan", UnitKind.PEOPLES_COMMITTEE),
    ("hoi dong nhan dan", UnitKind.PEOPLES_COUNCIL),
    ("mat tran to quoc", UnitKind.FATHERLAND_FRONT),
    ("uy ban kiem tra", UnitKind.INSPECTION),
    ("dang uy", UnitKind.PARTY_COMMITTEE),
    ("ban ", UnitKind.PARTY_BOARD),
    ("hoi ", UnitKind.MASS_ORGANISATION),
    ("doan ", UnitKind.MASS_ORGANISATION),
    ("cong an", UnitKind.ARMED_FORCES),
    ("quan su", UnitKind.ARMED_FORCES),
    ("luc luong vu trang", UnitKind.ARMED_FORCES),
    ("so ", UnitKind.DEPARTMENT),
    ("phong ", UnitKind.DEPARTMENT),
]


def is_collective(name: str) -> bool:
    key = fold(name)
    return key.startswith(_COLLECTIVE) or " cac " in f" {key} "


def guess_kind(name: str) -> str:
    key = fold(name) + " "
    for word, kind in _KIND_WORDS:
        if key.startswith(word) or f" {word}" in f" {key}":
            return kind
    return UnitKind.OTHER


class Command(BaseCommand):
    help = "Import a directive from a .txt, .docx or .pdf file after the import page's checks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--issuer-id", type=int, help="the issuing unit, when not recognised")
        parser.add_argument(
            "--monitoring-unit-id", type=int, help="the monitoring unit (default: its Ban Dân vận)"
        )
        parser.add_argument("--user", help="user name recorded as the person who entered it")
        parser.add_argument(
            "--create-units",
            action="store_true",
            help="create the units named in the text that match no known unit",
        )
        parser.add_argument("--dry-run", action="store_true", help="check, print, save nothing")

    def handle(self, *args, file: str, **options) -> None:
        """1. read and parse the file against the known units; 2. choose issuer and
        monitoring unit; 3. refuse what the import page refuses; 4. create new units only
        when asked; 5. import in one transaction (rolled back with --dry-run)."""
        text = read_document(file)
        units = Unit.objects.active()
        proposal = proposal_from_text(text, units=units)
        by = self._user(options.get("user"))
        issuer = self._unit(options.get("issuer_id"), "--issuer-id")
        if issuer is None:
            issuer = issuer_candidate(proposal, units)
        monitoring = self._unit(options.get("monitoring_unit_id"), "--monitoring-unit-id")
        if monitoring is None:
            monitoring = monitoring_candidate(issuer)
        problems = proposal_problems(proposal, issuer=issuer)
        if problems:
            if issuer is None and proposal.get("is_directive", True):
                problems.append(
                    f"Cơ quan ban hành “{proposal.get('issuer') or '—'}” không khớp đơn vị nào: "
                    "chỉ định bằng --issuer-id."
                )
            raise CommandError("Không nhập văn bản:\n- " + "\n- ".join(str(p) for p in problems))

        new_names = unmatched_names(proposal)
        if new_names and not options["create_units"]:
            self.stdout.write("Tên đơn vị chưa có trong hệ thống (đề xuất đơn vị mới, chưa tạo):")
            for name in new_names:
                self.stdout.write(f"  - {name}")
            self.stdout.write("Dùng --create-units để tạo các đơn vị này.")

        dry_run = options["dry_run"]
        try:
            with transaction.atomic():
                if new_names and options["create_units"]:
                    proposal = self._with_new_units(proposal, issuer, new_names, text)
                directive = directive_import(
                    proposal=proposal,
                    by=by,
                    issuer=issuer,
                    monitoring_unit=monitoring,
                    unit_choices=unit_choices_from_matches(proposal),
                )
                report = self._report(directive)
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            raise CommandError("Không nhập văn bản:\n- " + "\n- ".join(exc.messages)) from exc
        if dry_run:
            self.stdout.write("Chạy thử: kiểm tra xong, không lưu gì.")
        self.stdout.write(report)

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"Không có tài khoản “{username}”.") from exc

    def _unit(self, pk: int | None, option: str) -> Unit | None:
        if pk is None:
            return None
        try:
            return Unit.objects.get(pk=pk)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"{option}: không có đơn vị số {pk}.") from exc

    def _with_new_units(self, proposal: dict, issuer: Unit, names: list[str], text: str) -> dict:
        """Create each specific unmatched body under the issuer's committee, then parse
        again so the tasks match them. Collective names stay unassigned."""
        parent = issuer.committee()
        for name in names:
            if is_collective(name):
                self.stdout.write(f"  Bỏ qua tên chung “{name}”: không tạo đơn vị.")
                continue
            parent = Unit.objects.get(pk=parent.pk)
            Unit.objects.add_child(
                parent, {"name": name, "kind": guess_kind(name), "level": parent.level}
            )
            self.stdout.write(f"  Đã tạo đơn vị “{name}” thuộc {parent}.")
        return proposal_from_text(text, units=Unit.objects.active())

    def _report(self, directive) -> str:
        tasks = list(directive.tasks.prefetch_related("assignments__unit"))
        lines = [
            f"Đã nhập {directive.get_kind_display()} {directive.code or ''} "
            f"({directive.issuer}, ngày {directive.issued_on:%d/%m/%Y}): "
            f"{len(tasks)} nhiệm vụ, "
            f"{sum(len(t.assignments.all()) for t in tasks)} lượt giao đơn vị, "
            f"{directive.references.count()} văn bản dẫn chiếu."
        ]
        if directive.implements_id:
            lines.append(f"Thực hiện văn bản: {directive.implements}")
        return "\n".join(lines)
