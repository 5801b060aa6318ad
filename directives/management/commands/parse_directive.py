"""`python manage.py parse_directive FILE [--json]`: what the import would propose."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directives.importing import ImportTextError, extract_text, parse_document
from directives.importing.apply import unit_refs
from units.models import Unit

RECURRENCE_VI = {
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "half-yearly": "6 tháng một lần",
    "yearly": "hằng năm",
}


def read_document(path_text: str) -> str:
    """The text of a .txt, .docx or .pdf file, or a CommandError in Vietnamese."""
    path = Path(path_text)
    if not path.is_file():
        raise CommandError(f"Không tìm thấy tệp “{path_text}”.")
    try:
        return extract_text(path.name, path.read_bytes())
    except ImportTextError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp “{path_text}”: {exc.strerror}.") from exc


class Command(BaseCommand):
    help = (
        "Read a directive (.txt, .docx or .pdf) and print what the import proposes; "
        "--json prints one JSON object."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the document: .txt, .docx or .pdf with a text layer")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, file: str, json: bool = False, **options) -> None:
        text = read_document(file)
        # The whole proposal, section tree included: the same object the page starts from.
        proposal = parse_document(text, units=unit_refs(Unit.objects.active())).to_json()
        if json:
            self.stdout.write(_dumps(proposal))
            return
        self.stdout.write(summary(proposal))


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def summary(proposal: dict) -> str:
    """The proposal as a person reads it, in Vietnamese."""
    lines = []
    if not proposal.get("is_directive", True):
        lines.append("Văn bản này không phải văn bản chỉ đạo; không nhập được.")
    field_rows = [
        ("Loại văn bản", proposal.get("kind")),
        ("Số hiệu", proposal.get("code")),
        ("Cơ quan ban hành", proposal.get("issuer")),
        ("Nơi ban hành", proposal.get("place")),
        ("Ngày ban hành", _vn_date(proposal.get("issued_on"))),
        ("Trích yếu", proposal.get("subject")),
        ("Khóa", proposal.get("term")),
    ]
    for label, value in field_rows:
        lines.append(f"{label}: {value or '—'}")
    refs = proposal.get("references") or []
    lines.append(f"Văn bản dẫn chiếu ({len(refs)}):")
    for ref in refs:
        parts = [ref["code"]]
        if ref.get("date"):
            parts.append(f"ngày {_vn_date(ref['date'])}")
        if ref.get("issuer"):
            parts.append(f"của {ref['issuer']}")
        lines.append("  - " + " ".join(parts))
    for cited in proposal.get("cited_titles") or []:
        date = f" ngày {_vn_date(cited['date'])}" if cited.get("date") else ""
        lines.append(f"  - {cited['title']}{date} (không số)")
    tasks = proposal.get("tasks") or []
    lines.append(f"Nhiệm vụ ({len(tasks)}):")
    for i, task in enumerate(tasks, start=1):
        head = f"  {i}. [{task.get('section') or '—'}] {_short(task['text'])}"
        lines.append(head)
        lead = task.get("lead_unit")
        if lead:
            mark = "" if lead.get("unit_id") else " (đơn vị mới?)"
            lines.append(f"     Chủ trì: {task['lead']}{mark}")
        coordinating = task.get("coordinating_units") or []
        if coordinating:
            names = ", ".join(
                (c.get("matched_name") or c["name"]) + ("" if c.get("unit_id") else " (mới?)")
                for c in coordinating
            )
            lines.append(f"     Phối hợp: {names}")
        if task.get("deadline"):
            label = f" ({task['deadline_label']})" if task.get("deadline_label") else ""
            lines.append(f"     Hạn: {_vn_date(task['deadline'])}{label}")
        if task.get("recurrence"):
            every = RECURRENCE_VI.get(task["recurrence"], task["recurrence"])
            lines.append(f"     Định kỳ: {every}")
        if task.get("ongoing"):
            lines.append("     Thường xuyên")
    targets = proposal.get("targets") or []
    if targets:
        lines.append(f"Chỉ tiêu ({len(targets)}):")
        lines += [f"  - {t}" for t in targets]
    recipients = proposal.get("recipients") or []
    lines.append(f"Nơi nhận ({len(recipients)}): " + ("; ".join(recipients) or "—"))
    signer = proposal.get("signer") or {}
    parts = (signer.get("on_behalf"), signer.get("title"), signer.get("name"))
    signed = " / ".join(v for v in parts if v)
    lines.append(f"Người ký: {signed or '—'}")
    for warning in proposal.get("warnings") or []:
        lines.append(f"Lưu ý: {warning}")
    return "\n".join(lines)


def _vn_date(iso: str | None) -> str | None:
    if not iso:
        return None
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
