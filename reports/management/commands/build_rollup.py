"""Build a roll-up report and write its .docx, for administrators who schedule or script
reports:

    python manage.py build_rollup --committee "Thị ủy Đức Phổ" --period "Quý III/2026" \
        --out bao-cao.docx

It fills the roll-up form with the defaults the page shows (issuer, signature, gathered
narrative; the latest period that has ended when --period is left out), submits it through
the same form and service, builds it at once and writes the document the page's download
gives. The roll-up is numbered and stored like any other.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from reports import exports, services
from reports.drafting import rollup_draft
from reports.forms import RollupCreateForm
from reports.models import RollupStatus
from reports.periods import periods_offered
from units.models import Unit


class Command(BaseCommand):
    help = "Build a roll-up report for a committee and period and write its .docx."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--committee", required=True, help="The committee's name or id.")
        parser.add_argument("--period", default="", help='The period\'s name, e.g. "Năm 2025".')
        parser.add_argument("--out", required=True, help="Where to write the .docx.")

    def handle(self, *args, committee: str, period: str, out: str, **options) -> None:
        unit = self.committee(committee)
        chosen = None
        if period:
            chosen = (
                periods_offered()
                .filter(label__iexact=period.strip())
                .order_by("directive_id", "-end_on")
                .first()
            )
            if chosen is None:
                raise CommandError(f"Không có kỳ báo cáo “{period}”.")
        draft = rollup_draft(committee=unit, by=None, period=chosen)
        if draft.period is None:
            raise CommandError("Chưa có kỳ báo cáo nào; hãy chỉ rõ --period.")
        initial = RollupCreateForm.initial_from(draft)
        initial["issued_on"] = draft.issued_on.strftime("%d/%m/%Y")
        form = RollupCreateForm(data=initial)
        if not form.is_valid():
            raise CommandError(f"Không lập được báo cáo: {form.errors.as_text()}")
        report = services.rollup_create_from_form(
            by=None,
            committee=unit,
            data={**form.cleaned_data, "build": False},
            texts=form.narrative_text(),
        )
        services.rollup_build(report_id=report.pk)
        report.refresh_from_db()
        if report.status != RollupStatus.READY:
            raise CommandError(f"Lập báo cáo {report.code} không thành công: {report.error}")
        Path(out).write_bytes(exports.rollup_docx(report))
        self.stdout.write(f"Đã lập báo cáo số {report.code} ({report.period.label}): {out}")

    def committee(self, value: str) -> Unit:
        value = value.strip()
        query = Q(name__iexact=value)
        if value.isdigit():
            query |= Q(pk=int(value))
        units = list(Unit.objects.filter(query)[:2])
        if len(units) != 1:
            found = "nhiều đơn vị" if units else "không có đơn vị nào"
            raise CommandError(f"“{value}”: {found} khớp tên hoặc mã này.")
        return units[0]
