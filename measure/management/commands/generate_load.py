from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from measure.loadgen.generate import generate_load
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Build a synthetic national dataset (about 20,000 units, 5,000 directives, "
        "1,000,000 assignments and 3,000,000 progress reports at --scale 1)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1 = national size")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--force", action="store_true", help="Add the data even if units already exist."
        )

    def handle(self, *args, scale: float, seed: int, force: bool, **options) -> None:
        if scale <= 0 or scale > 10:
            raise CommandError("--scale phải lớn hơn 0 và không quá 10.")
        if Unit.objects.exists() and not force:
            raise CommandError(
                "Cơ sở dữ liệu đã có đơn vị. Dùng một cơ sở dữ liệu trống, hoặc thêm --force."
            )
        generate_load(scale=scale, seed=seed, progress=self.stdout.write)
