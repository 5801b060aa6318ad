from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sampledata.accounts import DEMO_PASSWORD
from sampledata.documents import build_demo_directives
from sampledata.organisation import build_demo_organisation
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Load the demo: the pre-2025 organisation, users, directives and their progress "
        "history, with the 2025 reorganisation applied on its days."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, successfully, when the database already has units.",
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("Dữ liệu đã có sẵn, không nạp lại dữ liệu mẫu.")
                return
            raise CommandError(
                "Cơ sở dữ liệu đã có đơn vị; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống."
            )
        counts = build_demo_organisation()
        history = build_demo_directives()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {counts['units']} đơn vị, {counts['users']} tài khoản "
                f"(mật khẩu {DEMO_PASSWORD}), {history['directives']} văn bản, "
                f"{history['tasks']} nhiệm vụ, {history['assignments']} lượt giao việc và "
                f"{history['reports']} báo cáo tiến độ."
            )
        )
        self.stdout.write("Sắp xếp tổ chức năm 2025 đã áp dụng:")
        for change in history["changes"]:
            self.stdout.write(f"  {change}")
